"""Serializer fields shared by the apps' API modules."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from rest_framework import serializers


class MappedChoiceField(serializers.ChoiceField):
    """A choice between public (Dutch) values that stand for the domain's own values.

    ``mapping`` goes from the public value, which the API accepts and returns and the OpenAPI
    document lists, to the internal value that models and selectors use.

    With ``enum_name`` the OpenAPI document lists the values once, as a schema component of
    that name, which every field with the same name refers to (one name for one set of
    values, whatever the properties are called).
    """

    def __init__(self, mapping: dict[str, str], *, enum_name: str | None = None, **kwargs):
        self.mapping = dict(mapping)
        self.reverse_mapping = {internal: public for public, internal in self.mapping.items()}
        super().__init__(choices=list(self.mapping), **kwargs)
        if enum_name:
            set_override(self, "field", {"type": "string", "enum": list(self.mapping)})
            set_override(self, "field_component_name", enum_name)

    def to_internal_value(self, data):
        return self.mapping[super().to_internal_value(data)]

    def get_default(self):
        # ``default`` is given as a public value, as the OpenAPI document shows it.
        default = super().get_default()
        return self.mapping.get(default, default)

    def to_representation(self, value):
        if value in (None, ""):
            return None
        return self.reverse_mapping[value]


class BlankAsNullCharField(serializers.CharField):
    """Text that is stored blank when unknown, given as ``null`` so that clients can tell."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class LinkField(serializers.CharField):
    """An http(s) link, or blank. In the OpenAPI document a plain string: a ``uri`` format
    beside the blank alternative would need ``oneOf``, which ``nullable`` cannot go with."""

    default_error_messages = {"invalid": _("Geef een volledige link, zoals https://...")}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from exc
        return value

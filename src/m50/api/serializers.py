"""Serializer bases shared by the apps' API modules."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail


class StrictSerializer(serializers.Serializer):
    """A request body whose unknown fields are refused (400 naming them), not ignored.

    A misspelt field would otherwise be dropped without a word, and the client would believe
    that it had written it.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(name) for name in data if name not in writable)
            if unknown:
                message = _("Onbekend veld; bekend zijn: %(fields)s.") % {
                    "fields": ", ".join(sorted(writable))
                }
                raise serializers.ValidationError(
                    {name: [ErrorDetail(message, code="unknown_field")] for name in unknown}
                )
        return super().to_internal_value(data)

"""What the API modules of pillars share: public values, fields, the body reference."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from m50.accounts.permissions import has_rule
from m50.api.problems import validation_error_from_django
from m50.contacts.models import Position
from m50.core.models import Theme
from m50.membership.api import MAX_ID
from m50.pillars.models import (
    Category,
    Participation,
    Pillar,
    Role,
    ThemeGroup,
    TopicStatus,
)

ORIGIN = "API"
# Dates outside this range are typing errors (and leave room for the services' arithmetic).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)
SLUG = "[-a-zA-Z0-9_]+"
# Who sees the people behind the pillars (see m50.accounts.permissions).
PEOPLE_RULE = "pillars.view_participants"

# Public (Dutch) values of the API, mapped to the values of the models.
ROLE_VALUES = {"voorzitter": Role.CHAIR, "lid": Role.MEMBER, "toehoorder": Role.OBSERVER}
CATEGORY_VALUES = {value: value for value in Category.values}
TOPIC_STATUS_VALUES = {
    "voorgesteld": TopicStatus.PROPOSED,
    "aangenomen": TopicStatus.ADOPTED,
    "geparkeerd": TopicStatus.PARKED,
    "afgesloten": TopicStatus.CLOSED,
}
END_REASON_VALUES = {
    "afgemeld": Participation.EndReason.LEFT,
    "functie-beeindigd": Participation.EndReason.POSITION_ENDED,
    "andere-rol": Participation.EndReason.ROLE_CHANGED,
    "pijler-of-themagroep-beeindigd": Participation.EndReason.BODY_ENDED,
}
FUNCTION_VALUES = {value: value for value in Position.Function.values}
# Model and service field names as the API names them, for a service's refusal.
PARTICIPATION_FIELDS = {
    "position": "positionId",
    "pillar": "pillar",
    "theme_group": "themeGroup",
    "role": "role",
    "category": "category",
    "start_date": "startDate",
    "end_date": "endDate",
}
TOPIC_FIELDS = {
    "title": "title",
    "description": "description",
    "owner": "ownerId",
    "status": "status",
    "pillar": "pillar",
    "theme_group": "themeGroup",
    "themes": "themes",
}
#: The most themes one topic or activity names (the shared list has eleven).
MAX_THEMES = 30


def sees_people(context) -> bool:
    request = context.get("request")
    return has_rule(getattr(request, "user", None), PEOPLE_RULE)


def id_from_path(raw: str) -> int | None:
    """The id in a path, or None when it cannot name a row (too large for a key)."""
    if len(raw) > len(str(MAX_ID)) or int(raw) > MAX_ID:
        return None
    return int(raw)


# --- Fields ---------------------------------------------------------------------------------


class PillarDateField(serializers.DateField):
    """A date from 1900 up to and including 2099."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise serializers.ValidationError(
                _("Geef een datum van 1900 tot en met 2099."), code="out_of_range"
            )
        return day


def optional_date(help_text, **kwargs):
    return PillarDateField(required=False, allow_null=True, help_text=help_text, **kwargs)


class PillarSlugField(serializers.RegexField):
    """The slug of a pillar, given back as the pillar itself."""

    model = Pillar
    unknown = gettext_lazy("Er is geen pijler %(slug)s.")

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(f"^{SLUG}$", **kwargs)

    def run_validation(self, data=serializers.empty):
        # The look-up after the field's own checks (pattern, length), which need the text.
        slug = super().run_validation(data)
        if slug is None:
            return None
        body = self.model.objects.filter(slug=slug).first()
        if body is None:
            raise serializers.ValidationError(self.unknown % {"slug": slug}, code="unknown")
        return body


class ThemeGroupSlugField(PillarSlugField):
    model = ThemeGroup
    unknown = gettext_lazy("Er is geen themagroep %(slug)s.")


class ThemeSlugField(PillarSlugField):
    """The slug of a theme of the shared list (also one no longer in use), given back as the
    theme itself."""

    model = Theme
    unknown = gettext_lazy("Er is geen thema %(slug)s.")


class ThemeSlugsField(serializers.ListField):
    """Slugs of themes of the shared list (wonen, mobiliteit, jeugdzorg, ...), given back as the
    themes, in one query; an unknown slug is named in the refusal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_THEMES)
        super().__init__(
            child=serializers.RegexField(f"^{SLUG}$", max_length=60), allow_empty=True, **kwargs
        )

    def to_internal_value(self, data):
        slugs = list(dict.fromkeys(super().to_internal_value(data)))
        themes = {theme.slug: theme for theme in Theme.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in themes]
        if unknown:
            raise serializers.ValidationError(
                _("Er is geen thema %(slug)s.") % {"slug": unknown[0]}, code="unknown"
            )
        return [themes[slug] for slug in slugs]


@extend_schema_field(serializers.ListField(child=serializers.SlugField()))
class ThemeSlugsReadField(serializers.Field):
    """The slugs of an object's themes (prefetched: no query per row), in the list's order."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, themes) -> list[str]:
        return [theme.slug for theme in themes.all()]


def one_body(attrs: dict) -> dict:
    if (attrs.get("pillar") is None) == (attrs.get("theme_group") is None):
        raise serializers.ValidationError(
            {
                "nonFieldErrors": [
                    _("Geef een pijler (pillar) of een themagroep (themeGroup), niet allebei.")
                ]
            },
            code="one_body",
        )
    return attrs


class BodyReferenceSerializer(serializers.Serializer):
    """Een pijler of themagroep waarnaar verwezen wordt."""

    slug = serializers.SlugField(help_text=gettext_lazy("Vaste sleutel in de URL."))
    name = serializers.CharField(help_text=gettext_lazy("Naam."))


class PersonReferenceSerializer(serializers.Serializer):
    """Een persoon waarnaar verwezen wordt (zonder contactgegevens)."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de persoon."))
    name = serializers.CharField(source="full_name", help_text=gettext_lazy("Volledige naam."))


def service_error(exc: DjangoValidationError, field_names: dict):
    """A service's refusal as a 400 problem naming the API's fields."""
    return validation_error_from_django(exc, field_names)


def id_parameter(description) -> OpenApiParameter:
    return OpenApiParameter(
        "id",
        OpenApiTypes.INT64,
        OpenApiParameter.PATH,
        description=description,
        examples=[OpenApiExample("nummer", value=1)],
    )


def location_parameter(description) -> OpenApiParameter:
    return OpenApiParameter(
        "Location",
        str,
        OpenApiParameter.HEADER,
        response=[201],
        required=True,
        description=description,
    )


def created(request, data, url_name: str, pk: int) -> Response:
    location = request.build_absolute_uri(reverse(url_name, kwargs={"pk": pk}))
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

"""/api/v1/pijlers and /api/v1/themagroepen: public, a chair's name only for logged-in users."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from m50.api.fields import BlankAsNullCharField
from m50.api.viewsets import ReadOnlyApiViewSet
from m50.municipalities.api import MunicipalityReferenceSerializer
from m50.pillars import selectors
from m50.pillars.api.common import (
    SLUG,
    BodyReferenceSerializer,
    PillarSlugField,
    sees_people,
)
from m50.pillars.models import Pillar, PillarSuccession, ThemeGroup


class SuccessionSerializer(serializers.Serializer):
    """Een pijler waar (een deel van) het werk naartoe ging of vandaan kwam."""

    slug = serializers.SlugField(help_text=gettext_lazy("Slug van de andere pijler."))
    name = serializers.CharField(help_text=gettext_lazy("Naam van de andere pijler."))
    note = BlankAsNullCharField(
        help_text=gettext_lazy("Welk werk overging; leeg als geen bron dat zegt.")
    )


class ChairSerializer(serializers.Serializer):
    """De voorzitter van vandaag. Anoniem alleen de gemeente; de naam alleen voor wie is
    ingelogd (anders null)."""

    municipality = MunicipalityReferenceSerializer(
        source="position.organisation.municipality",
        help_text=gettext_lazy("De gemeente van de voorzitter."),
    )
    personName = serializers.CharField(
        source="position.person.full_name",
        allow_null=True,
        help_text=gettext_lazy("Naam van de voorzitter; null voor wie niet is ingelogd."),
    )
    since = serializers.DateField(
        source="start_date", help_text=gettext_lazy("Voorzitter sinds (in deze rol).")
    )

    def to_representation(self, participation):
        data = super().to_representation(participation)
        if not sees_people(self.context):
            data["personName"] = None
        return data


class BodyBaseSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text=gettext_lazy("Vaste sleutel in de URL."))
    name = serializers.CharField(help_text=gettext_lazy("Naam."))
    purpose = BlankAsNullCharField(help_text=gettext_lazy("Doel; leeg als het niet bekend is."))
    startedOn = serializers.DateField(
        source="started_on",
        allow_null=True,
        help_text=gettext_lazy("Begonnen op; leeg als geen bron de datum geeft (onbekend)."),
    )
    ended = serializers.BooleanField(
        help_text=gettext_lazy("Beëindigd (of de einddatum bekend is of niet).")
    )
    endedOn = serializers.DateField(
        source="ended_on",
        allow_null=True,
        help_text=gettext_lazy(
            "Laatste dag; leeg als er geen einde is of als de datum niet bekend is (zie ended)."
        ),
    )
    running = serializers.SerializerMethodField(
        help_text=gettext_lazy("Loopt vandaag: begonnen en niet beëindigd.")
    )
    chair = serializers.SerializerMethodField(
        help_text=gettext_lazy("De voorzitter van vandaag; null als er geen is.")
    )

    def get_running(self, body) -> bool:
        return body.is_running(self.context["today"])

    @extend_schema_field(ChairSerializer(allow_null=True))
    def get_chair(self, body) -> dict | None:
        key = ("pillar" if isinstance(body, Pillar) else "theme_group", body.pk)
        chair = self.context["chairs"].get(key)
        return ChairSerializer(chair, context=self.context).data if chair else None


class PillarSerializer(BodyBaseSerializer):
    """Een pijler van het netwerk, van de huidige of van een eerdere generatie."""

    successors = serializers.SerializerMethodField(
        help_text=gettext_lazy("Waar het werk van deze pijler naartoe ging.")
    )
    predecessors = serializers.SerializerMethodField(
        help_text=gettext_lazy("Van welke eerdere pijlers het werk hierheen kwam.")
    )
    themeGroups = BodyReferenceSerializer(
        source="theme_groups.all",
        many=True,
        help_text=gettext_lazy("De themagroepen van de pijler, de lopende eerst."),
    )

    @extend_schema_field(SuccessionSerializer(many=True))
    def get_successors(self, pillar: Pillar) -> list[dict]:
        return [
            {"slug": s.successor.slug, "name": s.successor.name, "note": s.note or None}
            for s in pillar.successions_out.all()
        ]

    @extend_schema_field(SuccessionSerializer(many=True))
    def get_predecessors(self, pillar: Pillar) -> list[dict]:
        return [
            {"slug": s.predecessor.slug, "name": s.predecessor.name, "note": s.note or None}
            for s in pillar.successions_in.all()
        ]


class ThemeGroupSerializer(BodyBaseSerializer):
    """Een themagroep, van een pijler of van het netwerk als geheel."""

    pillar = BodyReferenceSerializer(
        allow_null=True,
        help_text=gettext_lazy("De pijler; null bij een themagroep van het hele netwerk."),
    )


class BodyViewSetMixin:
    """The chairs of the bodies on a page (one query) and the date of the response."""

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def _context(self, bodies) -> dict:
        return {
            **self.get_serializer_context(),
            "today": self.today,
            "chairs": selectors.chairs_of(bodies=bodies, on=self.today),
        }

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer_class()(page, many=True, context=self._context(page))
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        body = self.get_object()
        return Response(self.get_serializer_class()(body, context=self._context([body])).data)


def pillar_queryset() -> QuerySet[Pillar]:
    """Pillars with their successions both ways and their theme groups: four queries."""
    successions = PillarSuccession.objects.select_related("predecessor", "successor")
    return Pillar.objects.prefetch_related(
        Prefetch("successions_out", queryset=successions.order_by("successor__name", "pk")),
        Prefetch("successions_in", queryset=successions.order_by("predecessor__name", "pk")),
        Prefetch("theme_groups", queryset=ThemeGroup.objects.order_by("ended", "name", "pk")),
    ).order_by("ended", "name", "pk")


SLUG_PARAMETER = OpenApiParameter(
    "slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=f"^{SLUG}$",
    description=gettext_lazy("De slug, bijvoorbeeld sociaal."),
)


@extend_schema(tags=["pijlers"])
class PillarViewSet(BodyViewSetMixin, ReadOnlyApiViewSet):
    """Pillars of both generations; public (a chair's name only for logged-in users)."""

    permission_rule = "pillars.view"
    serializer_class = PillarSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return pillar_queryset()

    def get_object(self):
        pillar = pillar_queryset().filter(slug=self.kwargs["slug"]).first()
        if pillar is None:
            raise NotFound(_("Er is geen pijler %(slug)s.") % {"slug": self.kwargs["slug"]})
        return pillar

    @extend_schema(
        operation_id="listPillars",
        summary=gettext_lazy("De pijlers van het netwerk, de lopende eerst"),
        description=gettext_lazy(
            "Alle pijlers: de lopende en de beëindigde van de vorige generatie, met doel,"
            " data (leeg: onbekend), waar hun werk naartoe ging of vandaan kwam, hun"
            " themagroepen en de gemeente van de voorzitter. Openbaar; de naam van de"
            " voorzitter alleen voor wie is ingelogd."
        ),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getPillar",
        summary=gettext_lazy("Eén pijler"),
        description=gettext_lazy(
            "Een pijler op slug, met opvolgers, voorgangers, themagroepen en voorzitter."
            " Openbaar; de naam van de voorzitter alleen voor wie is ingelogd."
        ),
        parameters=[SLUG_PARAMETER],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class ThemeGroupFilterSerializer(serializers.Serializer):
    pijler = PillarSlugField(
        source="pillar",
        required=False,
        help_text=gettext_lazy("Alleen de themagroepen van de pijler met deze slug."),
    )


@extend_schema(tags=["themagroepen"])
class ThemeGroupViewSet(BodyViewSetMixin, ReadOnlyApiViewSet):
    """Theme groups; public as the pillars are."""

    permission_rule = "pillars.view"
    serializer_class = ThemeGroupSerializer
    filter_serializer_class = ThemeGroupFilterSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return ThemeGroup.objects.none()
        pillar = self.get_filters().get("pillar")
        return selectors.theme_group_list(pillar=pillar).order_by("ended", "name", "pk")

    def get_object(self):
        group = selectors.theme_group_list().filter(slug=self.kwargs["slug"]).first()
        if group is None:
            raise NotFound(_("Er is geen themagroep %(slug)s.") % {"slug": self.kwargs["slug"]})
        return group

    @extend_schema(
        operation_id="listThemeGroups",
        summary=gettext_lazy("De themagroepen"),
        description=gettext_lazy(
            "Themagroepen met hun pijler (of null: van het hele netwerk), doel, data (leeg:"
            " onbekend) en de gemeente van de voorzitter; de lopende eerst. Openbaar; de naam"
            " van de voorzitter alleen voor wie is ingelogd."
        ),
        parameters=[ThemeGroupFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getThemeGroup",
        summary=gettext_lazy("Eén themagroep"),
        description=gettext_lazy(
            "Een themagroep op slug. Openbaar; de naam van de voorzitter alleen voor wie is"
            " ingelogd."
        ),
        parameters=[SLUG_PARAMETER],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

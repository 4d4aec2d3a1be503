"""/api/v1/deelnames: who takes part in which pillar or theme group, for logged-in users; the
bureau, a member contact (its own municipality) and a chair (their own body) register and end
participations through the same services as the forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from m50.api.fields import MappedChoiceField
from m50.api.problems import Conflict
from m50.api.serializers import StrictSerializer
from m50.api.viewsets import ApiViewSet
from m50.contacts.models import Position
from m50.membership.api import MAX_ID, MunicipalityCodeField
from m50.municipalities import selectors as registry
from m50.municipalities.api import MunicipalityReferenceSerializer
from m50.pillars import rules, selectors, services
from m50.pillars.api.common import (
    CATEGORY_VALUES,
    END_REASON_VALUES,
    FUNCTION_VALUES,
    ORIGIN,
    PARTICIPATION_FIELDS,
    PEOPLE_RULE,
    ROLE_VALUES,
    BodyReferenceSerializer,
    PersonReferenceSerializer,
    PillarDateField,
    PillarSlugField,
    ThemeGroupSlugField,
    created,
    id_from_path,
    id_parameter,
    location_parameter,
    one_body,
    optional_date,
    service_error,
)
from m50.pillars.models import Participation

# Register and end: any logged-in role may try; the object check decides (403 if not).
WRITE_RULE = "pillars.manage_own"


class ParticipationFilterSerializer(serializers.Serializer):
    """The query parameters of the list; sources are the selector's arguments."""

    gemeente = MunicipalityCodeField(
        source="municipality_code",
        required=False,
        help_text=gettext_lazy("Alleen deelnames van functionarissen van deze gemeente."),
    )
    pijler = PillarSlugField(
        source="pillar",
        required=False,
        help_text=gettext_lazy("Alleen deelnames aan de pijler met deze slug."),
    )
    themagroep = ThemeGroupSlugField(
        source="theme_group",
        required=False,
        help_text=gettext_lazy("Alleen deelnames aan de themagroep met deze slug."),
    )
    categorie = MappedChoiceField(
        CATEGORY_VALUES,
        source="category",
        required=False,
        help_text=gettext_lazy("Alleen deelnemers van deze categorie."),
    )
    peildatum = PillarDateField(
        source="on",
        required=False,
        help_text=gettext_lazy("De deelnames die op deze dag liepen; zonder: die van vandaag."),
    )

    def validate_gemeente(self, code: str) -> int:
        municipality = registry.municipality_queryset().filter(code=code).first()
        if municipality is None:
            raise serializers.ValidationError(
                _("Onbekende gemeente %(code)s.") % {"code": code}, code="unknown"
            )
        return municipality.pk


class ParticipationSerializer(serializers.Serializer):
    """Een deelname: een functionaris van een gemeente neemt, via zijn of haar functie daar,
    deel aan één pijler of één themagroep, van begin- tot en met einddatum."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de deelname."))
    person = PersonReferenceSerializer(source="position.person")
    positionId = serializers.IntegerField(
        source="position_id",
        help_text=gettext_lazy("De functie waardoor de persoon deelneemt (zie /organisaties)."),
    )
    function = MappedChoiceField(
        FUNCTION_VALUES,
        enum_name="PositionFunction",
        source="position.function",
        help_text=gettext_lazy("De functie bij de gemeente."),
    )
    municipality = MunicipalityReferenceSerializer(
        source="position.organisation.municipality",
        help_text=gettext_lazy("De gemeente van de functionaris."),
    )
    pillar = BodyReferenceSerializer(
        allow_null=True, help_text=gettext_lazy("De pijler; null bij een themagroep.")
    )
    themeGroup = BodyReferenceSerializer(
        source="theme_group",
        allow_null=True,
        help_text=gettext_lazy("De themagroep; null bij een pijler."),
    )
    role = MappedChoiceField(ROLE_VALUES, enum_name="ParticipationRole")
    category = MappedChoiceField(CATEGORY_VALUES, enum_name="ParticipationCategory")
    startDate = serializers.DateField(source="start_date", help_text=gettext_lazy("Eerste dag."))
    endDate = serializers.DateField(
        source="end_date",
        allow_null=True,
        help_text=gettext_lazy("Laatste dag; leeg: loopt zonder bekend einde."),
    )
    endReason = MappedChoiceField(
        END_REASON_VALUES,
        enum_name="ParticipationEndReason",
        source="end_reason",
        allow_null=True,
        help_text=gettext_lazy("Waarom de deelname eindigt; leeg zolang er geen einde is."),
    )
    running = serializers.SerializerMethodField(help_text=gettext_lazy("Loopt vandaag."))

    def get_running(self, participation: Participation) -> bool:
        return participation.is_running(self.context.get("today"))


class ParticipationRegisterSerializer(StrictSerializer):
    """Een deelname om vast te leggen: aan een pijler of aan een themagroep."""

    positionId = serializers.IntegerField(
        source="position",
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy(
            "De functie van de persoon bij een gemeente die lid of aspirant-lid is."
        ),
    )
    pillar = PillarSlugField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De slug van de pijler, zoals sociaal; of geef themeGroup."),
    )
    themeGroup = ThemeGroupSlugField(
        source="theme_group",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De slug van de themagroep; of geef pillar."),
    )
    role = MappedChoiceField(
        ROLE_VALUES,
        enum_name="ParticipationRole",
        required=False,
        default="lid",
        help_text=gettext_lazy("De rol; zonder: lid."),
    )
    category = MappedChoiceField(
        CATEGORY_VALUES,
        enum_name="ParticipationCategory",
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "De categorie; zonder: die bij de functie hoort (burgemeester en wethouder:"
            " bestuurder; gemeentesecretaris; anders adviseur)."
        ),
    )
    startDate = optional_date(gettext_lazy("Eerste dag; zonder: vandaag."), source="start_date")
    endDate = optional_date(
        gettext_lazy("Laatste dag; zonder: tot de functie of de pijler of themagroep eindigt."),
        source="end_date",
    )

    def validate_positionId(self, pk: int) -> Position:  # noqa: N802 (the public name)
        position = Position.objects.select_related("organisation").filter(pk=pk).first()
        if position is None:
            raise serializers.ValidationError(
                _("Er is geen functie %(id)s.") % {"id": pk}, code="unknown"
            )
        return position

    def validate(self, attrs):
        return one_body(attrs)

    def service_arguments(self) -> dict:
        values = dict(self.validated_data)
        values["category"] = values.get("category") or ""
        return values


class ParticipationEndSerializer(StrictSerializer):
    """Wanneer de deelname eindigt."""

    endDate = optional_date(
        gettext_lazy(
            "De laatste dag van de deelname; zonder: vandaag. Niet vóór de begindatum en niet"
            " na het einde van de functie."
        ),
        source="end_date",
    )


REGISTER_EXAMPLE = OpenApiExample(
    "wethouder in Sociaal",
    summary=gettext_lazy("Een wethouder neemt als lid deel aan de pijler Sociaal"),
    request_only=True,
    value={"positionId": 12, "pillar": "sociaal", "role": "lid", "startDate": "2026-01-01"},
)
END_EXAMPLE = OpenApiExample(
    "afgemeld",
    summary=gettext_lazy("Afgemeld per het einde van de maand"),
    request_only=True,
    value={"endDate": "2026-01-31"},
)
PARTICIPATION_ID = id_parameter(gettext_lazy("Het nummer van de deelname."))


@extend_schema(tags=["deelnames"])
class ParticipationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Participations: read by every logged-in user; registered and ended by the bureau, the
    member contact of the official's municipality and the chair of the pillar or group (a
    participant also ends their own). Never deleted (DELETE: 405)."""

    permission_rule = PEOPLE_RULE
    action_permission_rules = {"create": WRITE_RULE, "end": WRITE_RULE}
    action_problem_codes = {"create": (409,)}
    serializer_class = ParticipationSerializer
    filter_serializer_class = ParticipationFilterSerializer
    lookup_value_regex = "[0-9]+"

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": self.today}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return Participation.objects.none()
        filters = self.get_filters()
        return selectors.participation_list(
            municipality_id=filters.get("municipality_code"),
            pillar=filters.get("pillar"),
            theme_group=filters.get("theme_group"),
            category=filters.get("category", ""),
            on=filters.get("on") or self.today,
        )

    def get_object(self) -> Participation:
        pk = id_from_path(self.kwargs["pk"])
        participation = None
        if pk is not None:
            participation = selectors.participation_list(running_only=False).filter(pk=pk).first()
        if participation is None:
            raise NotFound(_("Er is geen deelname %(id)s.") % {"id": self.kwargs["pk"]})
        return participation

    def _data(self, participation: Participation) -> dict:
        fresh = selectors.participation_detail(pk=participation.pk)
        return self.get_serializer(fresh).data

    @extend_schema(
        operation_id="listParticipations",
        summary=gettext_lazy("Wie neemt deel aan welke pijler of themagroep"),
        description=gettext_lazy(
            "De deelnames die op de peildatum (zonder: vandaag) lopen, per gemeente, categorie"
            " en naam, te filteren op gemeente, pijler, themagroep en categorie. Alleen voor"
            " gebruikers van het platform."
        ),
        parameters=[ParticipationFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getParticipation",
        summary=gettext_lazy("Eén deelname"),
        description=gettext_lazy(
            "Een deelname op nummer, ook een beëindigde, met de reden van beëindiging. Alleen"
            " voor gebruikers van het platform."
        ),
        parameters=[PARTICIPATION_ID],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        operation_id="registerParticipation",
        summary=gettext_lazy("Een deelname vastleggen"),
        description=gettext_lazy(
            "Legt vast dat een functionaris van een (aspirant-)lid deelneemt aan een pijler of"
            " themagroep, na dezelfde regels als het formulier: de functie loopt, de pijler of"
            " themagroep loopt, de categorie past bij de functie, geen tweede deelname in"
            " dezelfde periode, één voorzitter tegelijk (bij een pijler een bestuurder)."
            " Mag: het bureau, de contactpersoon van de gemeente van de functionaris, de"
            " voorzitter van de pijler of themagroep; anderen krijgen 403. Een geweigerde"
            " deelname geeft 400 met de reden; er wordt dan niets vastgelegd."
        ),
        request=ParticipationRegisterSerializer,
        responses={201: ParticipationSerializer},
        parameters=[location_parameter(gettext_lazy("De URL van de vastgelegde deelname."))],
        examples=[REGISTER_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        serializer = ParticipationRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.service_arguments()
        body = values.get("pillar") or values.get("theme_group")
        position = values["position"]
        if not rules.may_manage_participation_of(
            request.user, municipality_id=position.organisation.municipality_id, body=body
        ):
            raise _refused_register()
        try:
            with transaction.atomic():
                participation = services.participation_register(
                    actor=request.user, origin=ORIGIN, **values
                )
        except DjangoValidationError as exc:
            raise service_error(exc, PARTICIPATION_FIELDS) from exc
        except IntegrityError as exc:  # a second one registered at the same moment
            raise Conflict(
                _("Deze deelname is intussen al vastgelegd. Haal de deelnames opnieuw op.")
            ) from exc
        return created(
            request, self._data(participation), "api:participation-detail", participation.pk
        )

    @extend_schema(
        operation_id="endParticipation",
        summary=gettext_lazy("Een deelname beëindigen"),
        description=gettext_lazy(
            "Beëindigt een deelname op endDate (de laatste dag; zonder: vandaag), met als"
            " reden 'afgemeld'; een eerder vastgelegde einddatum kan zo ook worden"
            " gecorrigeerd, maar niet voorbij het einde van de functie. Mag: het bureau, de"
            " contactpersoon van de gemeente van de functionaris, de voorzitter van de pijler"
            " of themagroep, en de deelnemer zelf; anderen krijgen 403 en er verandert niets."
        ),
        request=ParticipationEndSerializer,
        responses={200: ParticipationSerializer},
        parameters=[PARTICIPATION_ID],
        examples=[END_EXAMPLE],
    )
    @action(detail=True, methods=["post"], url_path="beeindiging", url_name="end")
    def end(self, request, *args, **kwargs):
        participation = self.get_object()
        if not (
            rules.may_manage_participation(request.user, participation)
            or rules.may_leave(request.user, participation)
        ):
            raise _refused_end()
        serializer = ParticipationEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            participation = services.participation_end(
                participation=participation,
                end_date=serializer.validated_data.get("end_date"),
                reason=Participation.EndReason.LEFT,
                actor=request.user,
                origin=ORIGIN,
            )
        except DjangoValidationError as exc:
            raise service_error(exc, PARTICIPATION_FIELDS) from exc
        return Response(self._data(participation))


def _refused_register():
    return PermissionDenied(
        _(
            "U mag deze deelname niet vastleggen: dat doen het bureau, de contactpersoon van de"
            " gemeente van de functionaris en de voorzitter van de pijler of themagroep."
        )
    )


def _refused_end():
    return PermissionDenied(
        _(
            "U mag deze deelname niet beëindigen: dat doen het bureau, de contactpersoon van de"
            " gemeente van de functionaris, de voorzitter van de pijler of themagroep en de"
            " deelnemer zelf."
        )
    )

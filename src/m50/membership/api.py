"""/api/v1/lidmaatschappen and /api/v1/besluiten: who is a member since when, and on what.

Who is a member, and since when, is public (the network publishes its member list); so are
the decisions themselves. Their documents and remarks are for the network's staff and the
municipality's own users (``selectors.can_view_dossier_details``). The bureau records
decisions here as on its forms: both call the same services, which hold every rule, so a
refused decision is a 400 problem naming each broken rule by its code.

A decision is never edited in substance and never deleted: a wrong one is corrected by a
new decision (``corrects``) or withdrawn (``POST /besluiten/{id}/intrekking``). Only its
documentary fields can be changed, with ``PATCH`` under optimistic concurrency: every
decision response carries an ``ETag`` (``"<id>-<version>"``) that ``If-Match`` must repeat.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.response import Response

from m50.api.fields import BlankAsNullCharField, LinkField, MappedChoiceField
from m50.api.problems import (
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
    validation_error_from_django,
)
from m50.api.schema import etag_header_parameter, if_match_parameter
from m50.api.serializers import StrictSerializer
from m50.api.viewsets import ApiViewSet, ReadOnlyApiViewSet
from m50.core.conditional import public_api
from m50.membership import rules, selectors, services
from m50.membership.models import DecidingBody, Decision, DecisionKind, Membership
from m50.municipalities import selectors as registry
from m50.municipalities.api import MunicipalityReferenceSerializer

ORIGIN = "API"
# The largest id a database key can hold; a larger one in a path or body names nothing.
MAX_ID = 2**63 - 1
CBS_CODE = r"^[Gg][Mm][0-9]{4}$"
# Decisions about membership of the network lie within this range; outside it a date is a
# typing error (and the rules' date arithmetic needs room around it).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)

# Public (Dutch) values of the API, mapped to the values of the rules and models.
STATUS_VALUES = {
    "geen": rules.Status.NONE,
    "aspirant": rules.Status.ASPIRANT,
    "lid": rules.Status.MEMBER,
    "beeindigd": rules.Status.TERMINATED,
}
STATUS_FILTER_VALUES = {name: value for name, value in STATUS_VALUES.items() if name != "geen"}
# The list without a status filter: every membership that runs or ran.
LISTED_STATUSES = tuple(STATUS_FILTER_VALUES.values())
KIND_VALUES = {
    "aspirant": DecisionKind.ASPIRANT,
    "mandaat": DecisionKind.MANDATE,
    "definitief": DecisionKind.DEFINITIVE,
    "opzegging": DecisionKind.TERMINATION,
    "voortzetting": DecisionKind.SUCCESSION,
    "intrekking": DecisionKind.WITHDRAWAL,
}
# A withdrawal is recorded through /besluiten/{id}/intrekking, with its reason.
RECORDABLE_KIND_VALUES = {
    name: value for name, value in KIND_VALUES.items() if value != DecisionKind.WITHDRAWAL
}
BODY_VALUES = {
    "college": DecidingBody.COLLEGE,
    "burgemeester": DecidingBody.MAYOR,
    "gemeenteraad": DecidingBody.COUNCIL,
    "bestuur-m50": DecidingBody.BOARD,
}
# Model fields as the API names them, for the errors of a model's own validation.
FIELD_NAMES = {
    "kind": "kind",
    "deciding_body": "decidingBody",
    "decided_on": "decidedOn",
    "effective_on": "effectiveOn",
    "announced_on": "announcedOn",
    "mandated_body": "mandate.body",
    "mandate_deadline": "mandate.deadline",
    "document_title": "documentTitle",
    "document_number": "documentNumber",
    "document_url": "documentUrl",
    "remarks": "remarks",
}
TEXT_FIELDS = ("document_title", "document_number", "document_url", "remarks")
DETAIL_FIELDS = ("documentTitle", "documentNumber", "documentUrl", "remarks")


# --- Fields ---------------------------------------------------------------------------------


class MunicipalityCodeField(serializers.RegexField):
    """A CBS municipality code (GM0384); given back in capitals."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid": gettext_lazy("Geef een CBS-gemeentecode als GM0384.")},
        )
        kwargs.setdefault("help_text", gettext_lazy("CBS-code van de gemeente, zoals GM0384."))
        super().__init__(CBS_CODE, **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


class DecisionDateField(serializers.DateField):
    """A date of a decision, from 1900 up to and including 2099."""

    def __init__(self, **kwargs):
        kwargs["help_text"] = format_lazy(
            "{} {}",
            kwargs.pop("help_text", ""),
            gettext_lazy(
                "Een datum van 1900 tot en met 2099. Het besluit zelf weigert een datum vóór het "
                "ontstaan van het netwerk of van de gemeente, of meer dan een jaar na vandaag "
                "(400, date_before_network, date_before_municipality, date_too_far_ahead)."
            ),
        )
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise serializers.ValidationError(
                _("Geef een datum van 1900 tot en met 2099."), code="out_of_range"
            )
        return day


def _known_municipality_code(code: str) -> str:
    if not registry.municipality_queryset().filter(code=code).exists():
        raise serializers.ValidationError(
            _("Onbekende gemeente %(code)s.") % {"code": code}, code="unknown"
        )
    return code


def _text(max_length: int | None = None, **kwargs):
    """Optional text; null and "" both mean "none"."""
    if max_length is not None:
        kwargs["max_length"] = max_length
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, **kwargs)


def _url(**kwargs):
    """An optional link (http or https); null and "" both mean "none"."""
    return LinkField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=500,
        help_text=gettext_lazy("Een link naar het document, zoals https://...; leeg: geen."),
        **kwargs,
    )


# --- Memberships ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateState:
    body: str
    deadline: datetime.date
    days_left: int | None
    expired: bool


@dataclass(frozen=True)
class MembershipItem:
    """A municipality's membership as the API shows it: the derived status of today."""

    municipality: object
    status: str
    since: datetime.date | None
    listed_since: str
    listed_source: str
    mandate: MandateState | None
    periods: tuple[rules.Period, ...]

    @classmethod
    def of(cls, membership: Membership, summary: rules.Summary) -> MembershipItem:
        mandate = None
        if summary.mandate is not None:
            mandate = MandateState(
                body=summary.mandate.body,
                deadline=summary.mandate.deadline,
                days_left=summary.days_left,
                expired=summary.mandate_expired,
            )
        return cls(
            municipality=membership.municipality,
            status=summary.status,
            since=summary.since,
            listed_since=membership.listed_since,
            listed_source=membership.listed_source,
            mandate=mandate,
            periods=tuple(summary.history),
        )

    @classmethod
    def none(cls, municipality) -> MembershipItem:
        """A municipality without a membership dossier."""
        return cls(municipality, rules.Status.NONE, None, "", "", None, ())


class MembershipFilterSerializer(serializers.Serializer):
    """The query parameters of the list; sources are the selector's arguments."""

    gemeente = MunicipalityCodeField(
        source="municipality_code",
        required=False,
        help_text=gettext_lazy("Alleen het lidmaatschap van de gemeente met deze CBS-code."),
    )
    status = MappedChoiceField(
        STATUS_FILTER_VALUES,
        required=False,
        help_text=gettext_lazy(
            "Alleen lidmaatschappen met deze status vandaag. Zonder: aspirant, lid en beëindigd."
        ),
    )

    def validate_gemeente(self, code: str) -> str:
        return _known_municipality_code(code)


class MembershipMandateSerializer(serializers.Serializer):
    """Het lopende mandaat van een aspirant-lid voor het besluit over definitief lidmaatschap."""

    body = MappedChoiceField(
        BODY_VALUES,
        enum_name="DecidingBody",
        help_text=gettext_lazy("Het orgaan dat over definitief lidmaatschap mag besluiten."),
    )
    deadline = serializers.DateField(help_text=gettext_lazy("Uiterste datum (tot en met)."))
    daysLeft = serializers.IntegerField(
        source="days_left",
        help_text=gettext_lazy("Dagen tot en met de uiterste datum; negatief als die voorbij is."),
    )
    expired = serializers.BooleanField(
        help_text=gettext_lazy("Mandaat verlopen zonder besluit over definitief lidmaatschap.")
    )


class MembershipPeriodSerializer(serializers.Serializer):
    """Een periode met één status, uit de besluiten afgeleid."""

    status = MappedChoiceField(STATUS_VALUES, enum_name="MembershipStatus")
    start = serializers.DateField(
        allow_null=True,
        help_text=gettext_lazy("Eerste dag; leeg als die onbekend is (alleen een vermelding)."),
    )
    end = serializers.DateField(
        allow_null=True,
        help_text=gettext_lazy("Eerste dag dat deze status niet meer gold; leeg: loopt nog."),
    )


class MembershipSerializer(serializers.Serializer):
    """Het lidmaatschap van een gemeente: de status van vandaag, afgeleid uit de besluiten."""

    municipality = MunicipalityReferenceSerializer()
    status = MappedChoiceField(
        STATUS_VALUES,
        enum_name="MembershipStatus",
        help_text=gettext_lazy("Status vandaag: geen, aspirant, lid of beeindigd."),
    )
    since = serializers.DateField(
        allow_null=True,
        help_text=gettext_lazy(
            "Sinds wanneer de gemeente deze status heeft; leeg als geen besluit dat zegt"
            " (een lid dat alleen van de ledenlijst bekend is)."
        ),
    )
    listedSince = BlankAsNullCharField(
        source="listed_since",
        help_text=gettext_lazy(
            "Bekend als lid sinds (peildatum van een gepubliceerde ledenlijst, zoals 2023-04);"
            " leeg als het lidmaatschap alleen op besluiten berust."
        ),
    )
    source = BlankAsNullCharField(
        source="listed_source",
        help_text=gettext_lazy("De bron van listedSince."),
    )
    mandate = MembershipMandateSerializer(
        allow_null=True,
        help_text=gettext_lazy("Het lopende mandaat van een aspirant-lid; anders leeg."),
    )


class MembershipDetailSerializer(MembershipSerializer):
    """Het lidmaatschap van een gemeente met de perioden waaruit het bestaat."""

    periods = MembershipPeriodSerializer(
        many=True, help_text=gettext_lazy("De statussen die het lidmaatschap doorliep.")
    )


@extend_schema(tags=["lidmaatschappen"])
class MembershipViewSet(ReadOnlyApiViewSet):
    """Memberships with the status of today, derived from their decisions; public."""

    permission_rule = "membership.view"
    serializer_class = MembershipSerializer
    filter_serializer_class = MembershipFilterSerializer
    lookup_field = "code"
    figures = staticmethod(selectors.figures)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MembershipDetailSerializer
        return MembershipSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return Membership.objects.none()
        filters = self.get_filters()
        status_filter = filters.get("status")
        # Items are made for the page the paginator slices, not for every membership.
        return selectors.membership_rows(
            statuses=(status_filter,) if status_filter else LISTED_STATUSES,
            municipality_code=filters.get("municipality_code", ""),
            make=lambda row: MembershipItem.of(row.membership, row.summary),
        )

    def get_object(self):
        code = self.kwargs["code"].upper()
        membership = selectors.membership_detail(municipality_code=code)
        if membership is not None:
            return MembershipItem.of(membership, selectors.membership_summary(membership))
        municipality = registry.municipality_queryset().filter(code=code).first()
        if municipality is None:
            raise NotFound(_("Er is geen gemeente met CBS-code %(code)s.") % {"code": code})
        return MembershipItem.none(municipality)

    @extend_schema(
        operation_id="listMemberships",
        summary=gettext_lazy("Leden en aspirant-leden van het M50"),
        description=gettext_lazy(
            "Lidmaatschappen met hun status van vandaag (aspirant, lid, beeindigd), sinds"
            " wanneer, de vermelding op de gepubliceerde ledenlijst met bron, en voor een"
            " aspirant-lid het lopende mandaat met uiterste datum. Op naam van de gemeente."
            " Openbaar."
        ),
        parameters=[MembershipFilterSerializer],
    )
    @public_api("members", "registry")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getMembership",
        summary=gettext_lazy("Het lidmaatschap van één gemeente"),
        description=gettext_lazy(
            "Het lidmaatschap van een gemeente op CBS-code, met de perioden waaruit het"
            " bestaat. Een gemeente zonder lidmaatschap heeft status 'geen'. Openbaar."
        ),
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern=CBS_CODE,
                description=gettext_lazy("CBS-code van de gemeente, bijvoorbeeld GM0384."),
            )
        ],
    )
    @public_api("members", "registry")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# --- Decisions ------------------------------------------------------------------------------


def decision_queryset() -> QuerySet[Decision]:
    """Decisions with their municipality and whether (and by what) they were corrected."""
    corrections = Decision.objects.filter(corrects=OuterRef("pk")).order_by("pk")
    return Decision.objects.select_related(
        "membership__municipality", "predecessor__municipality"
    ).annotate(
        corrected_by=Subquery(corrections.values("pk")[:1]),
        corrected_by_kind=Subquery(corrections.values("kind")[:1]),
    )


def etag_of(decision: Decision) -> str:
    return f'"{decision.pk}-{decision.version}"'


class DecisionMandateSerializer(StrictSerializer):
    """Een mandaat: wie over definitief lidmaatschap mag besluiten, en tot wanneer."""

    body = MappedChoiceField(
        BODY_VALUES,
        enum_name="DecidingBody",
        source="mandated_body",
        help_text=gettext_lazy("Het gemandateerde orgaan, meestal de burgemeester."),
    )
    deadline = DecisionDateField(
        source="mandate_deadline",
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Uiterste datum (tot en met). Bij vastleggen zonder: een jaar na het besluit."
        ),
    )


class DecisionFilterSerializer(serializers.Serializer):
    gemeente = MunicipalityCodeField(
        source="municipality_code",
        required=False,
        help_text=gettext_lazy("Alleen de besluiten van de gemeente met deze CBS-code."),
    )

    def validate_gemeente(self, code: str) -> str:
        return _known_municipality_code(code)


class DecisionSerializer(serializers.Serializer):
    """Een besluit uit een lidmaatschapsdossier.

    documentTitle, documentNumber, documentUrl en remarks zijn er altijd, maar alleen gevuld
    voor wie de details van het dossier mag zien (detailsVisible): de medewerkers van het
    netwerk en de gebruikers van de gemeente zelf. Voor anderen, ook anoniem, zijn ze null.
    """

    id = serializers.IntegerField(read_only=True)
    municipalityCode = serializers.CharField(
        source="membership.municipality.code",
        help_text=gettext_lazy("CBS-code van de gemeente van het dossier."),
    )
    kind = MappedChoiceField(KIND_VALUES, enum_name="DecisionKind")
    decidingBody = MappedChoiceField(BODY_VALUES, enum_name="DecidingBody", source="deciding_body")
    decidedOn = serializers.DateField(source="decided_on")
    effectiveOn = serializers.DateField(source="effective_on")
    announcedOn = serializers.DateField(
        source="announced_on",
        allow_null=True,
        help_text=gettext_lazy("Bekendgemaakt op, bijvoorbeeld in het college; leeg: onbekend."),
    )
    mandate = serializers.SerializerMethodField(
        help_text=gettext_lazy("Het mandaat dat dit besluit geeft; leeg als het er geen geeft.")
    )
    predecessorCode = serializers.CharField(
        source="predecessor.municipality.code",
        allow_null=True,
        help_text=gettext_lazy(
            "Bij een voortzetting: CBS-code van de opgeheven gemeente wier lidmaatschap wordt"
            " voortgezet."
        ),
    )
    corrects = serializers.IntegerField(
        source="corrects_id",
        allow_null=True,
        help_text=gettext_lazy("Het besluit dat dit besluit corrigeert of intrekt."),
    )
    correctedBy = serializers.IntegerField(
        source="corrected_by",
        allow_null=True,
        help_text=gettext_lazy("Het besluit dat dit besluit corrigeert of intrekt, als dat er is."),
    )
    withdrawn = serializers.SerializerMethodField(
        help_text=gettext_lazy("Ingetrokken: het besluit is ten onrechte vastgelegd.")
    )
    inEffect = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Telt mee in het dossier: niet gecorrigeerd, niet ingetrokken en zelf geen intrekking."
        )
    )
    detailsVisible = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Of de gebruiker document en opmerkingen mag zien; zo niet, dan zijn die null."
        )
    )
    documentTitle = BlankAsNullCharField(source="document_title")
    documentNumber = BlankAsNullCharField(source="document_number")
    documentUrl = BlankAsNullCharField(source="document_url")
    remarks = BlankAsNullCharField()

    @extend_schema_field(DecisionMandateSerializer(allow_null=True))
    def get_mandate(self, decision: Decision) -> dict | None:
        if not decision.mandated_body:
            return None
        return DecisionMandateSerializer(decision).data

    def get_withdrawn(self, decision: Decision) -> bool:
        # corrected_by and corrected_by_kind: annotations of decision_queryset().
        return decision.corrected_by_kind == DecisionKind.WITHDRAWAL

    def get_inEffect(self, decision: Decision) -> bool:  # noqa: N802 (the public name)
        return decision.corrected_by is None and decision.kind != DecisionKind.WITHDRAWAL

    def get_detailsVisible(self, decision: Decision) -> bool:  # noqa: N802 (the public name)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return selectors.can_view_dossier_details(user, decision.membership.municipality)

    def to_representation(self, decision):
        data = super().to_representation(decision)
        if not data["detailsVisible"]:
            for name in DETAIL_FIELDS:
                data[name] = None
        return data


class DecisionRecordSerializer(StrictSerializer):
    """Een besluit om vast te leggen, of (met corrects) de verbeterde versie van een besluit."""

    municipalityCode = MunicipalityCodeField(source="municipality")
    kind = MappedChoiceField(
        RECORDABLE_KIND_VALUES,
        enum_name="RecordableDecisionKind",
        help_text=gettext_lazy(
            "Soort besluit. Een intrekking gaat via POST /besluiten/{id}/intrekking."
        ),
    )
    decidingBody = MappedChoiceField(BODY_VALUES, enum_name="DecidingBody", source="deciding_body")
    decidedOn = DecisionDateField(source="decided_on", help_text=gettext_lazy("Besloten op."))
    effectiveOn = DecisionDateField(
        source="effective_on",
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Gaat in op. Zonder: de besluitdatum; bij een opzegging 1 januari van het jaar"
            " erna; bij een voortzetting de datum van de herindeling."
        ),
    )
    announcedOn = DecisionDateField(
        source="announced_on",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Bekendgemaakt op (bijvoorbeeld in het college)."),
    )
    mandate = DecisionMandateSerializer(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Bij een aspirant- of mandaatbesluit: het mandaat voor het besluit over definitief"
            " lidmaatschap."
        ),
    )
    predecessorCode = MunicipalityCodeField(
        source="predecessor",
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Bij een voortzetting: CBS-code van de opgeheven gemeente wier lidmaatschap wordt"
            " voortgezet."
        ),
    )
    corrects = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy(
            "Het besluit dat dit besluit corrigeert: dit besluit is er de volledige, verbeterde"
            " versie van en vervangt het in het dossier."
        ),
    )
    documentTitle = _text(300, source="document_title")
    documentNumber = _text(100, source="document_number")
    documentUrl = _url(source="document_url")
    remarks = _text()

    def validate_municipalityCode(self, code: str):  # noqa: N802 (the public name)
        municipality = registry.municipality_queryset().filter(code=code).first()
        if municipality is None:
            raise serializers.ValidationError(
                _("Onbekende gemeente %(code)s.") % {"code": code}, code="unknown"
            )
        return municipality

    def validate_predecessorCode(self, code: str | None):  # noqa: N802 (the public name)
        if code is None:
            return None
        membership = selectors.membership_detail(municipality_code=code)
        if membership is None:
            raise serializers.ValidationError(
                _("Gemeente %(code)s heeft geen lidmaatschap om voort te zetten.") % {"code": code},
                code="unknown",
            )
        return membership

    def validate_corrects(self, pk: int | None):
        if pk is None:
            return None
        decision = Decision.objects.filter(pk=pk).first()
        if decision is None:
            raise serializers.ValidationError(
                _("Er is geen besluit %(id)s.") % {"id": pk}, code="unknown"
            )
        return decision

    def service_arguments(self) -> dict:
        values = dict(self.validated_data)
        values.pop("municipality")
        mandate = values.pop("mandate", None) or {}
        values["mandated_body"] = mandate.get("mandated_body", "")
        values["mandate_deadline"] = mandate.get("mandate_deadline")
        for name in TEXT_FIELDS:
            values[name] = values.get(name) or ""
        return values


class DecisionDocumentSerializer(StrictSerializer):
    """De documentgegevens, opmerkingen en bekendmakingsdatum van een besluit: het enige dat
    aan een vastgelegd besluit te wijzigen is. Null of "" maakt een veld leeg."""

    documentTitle = _text(300, source="document_title")
    documentNumber = _text(100, source="document_number")
    documentUrl = _url(source="document_url")
    remarks = _text()
    announcedOn = DecisionDateField(
        source="announced_on",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Bekendgemaakt op (bijvoorbeeld in het college)."),
    )

    def service_arguments(self) -> dict:
        return {
            name: (value or "") if name in TEXT_FIELDS else value
            for name, value in self.validated_data.items()
        }


class WithdrawalSerializer(StrictSerializer):
    """Waarom het besluit ten onrechte is vastgelegd."""

    reason = serializers.CharField(
        max_length=2000,
        help_text=gettext_lazy("Waarom het besluit wordt ingetrokken; komt in de opmerkingen."),
    )


def _refused(exc: services.DecisionRefused) -> ValidationError:
    error = ValidationError(
        {"nonFieldErrors": [ErrorDetail(p.message, code=p.code) for p in exc.problems]}
    )
    error.problem_detail = _(
        "Het besluit is geweigerd: het dossier zou zichzelf tegenspreken. invalidParams noemt"
        " elke regel die het zou breken."
    )
    return error


def _invalid(exc: DjangoValidationError) -> ValidationError:
    if isinstance(exc, services.DecisionRefused):
        return _refused(exc)
    return validation_error_from_django(exc, FIELD_NAMES)


def _already_changed() -> Conflict:
    return Conflict(
        _(
            "Het dossier is intussen gewijzigd: het besluit is al gecorrigeerd of ingetrokken."
            " Haal het opnieuw op."
        )
    )


ETAG_201 = etag_header_parameter(response=[201])
LOCATION_201 = OpenApiParameter(
    "Location",
    str,
    OpenApiParameter.HEADER,
    response=[201],
    required=True,
    description=gettext_lazy("De URL van het vastgelegde besluit."),
)
DECISION_ID = OpenApiParameter(
    "id",
    OpenApiTypes.INT64,
    OpenApiParameter.PATH,
    description=gettext_lazy("Het nummer van het besluit."),
    examples=[OpenApiExample("besluit", value=1)],
)
RECORD_EXAMPLE = OpenApiExample(
    "aspirant-lidmaatschap",
    summary=gettext_lazy(
        "Het college besluit tot aspirant-lidmaatschap en mandateert de burgemeester"
    ),
    request_only=True,
    value={
        "municipalityCode": "GM1696",
        "kind": "aspirant",
        "decidingBody": "college",
        "decidedOn": "2024-03-12",
        "mandate": {"body": "burgemeester"},
        "documentTitle": "Collegebesluit aspirant-lidmaatschap M50",
        "documentNumber": "Z-2024-0312",
    },
)
DOCUMENT_EXAMPLE = OpenApiExample(
    "kenmerk en link",
    summary=gettext_lazy("Kenmerk en link van het document aanvullen"),
    request_only=True,
    value={
        "documentNumber": "BM-2023-16",
        "documentUrl": "https://gemeente.example/bestuur/informatie-2023-16.pdf",
    },
)
WITHDRAWAL_EXAMPLE = OpenApiExample(
    "dubbel",
    summary=gettext_lazy("Een dubbel vastgelegd besluit"),
    request_only=True,
    value={"reason": "Dubbel ingevoerd: hetzelfde besluit staat er al."},
)


@extend_schema(tags=["besluiten"])
class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Decisions: public to read (documents and remarks only for those allowed); the bureau
    records, corrects, withdraws and documents them. Never deleted (DELETE: 405)."""

    permission_rule = "membership.view"
    action_permission_rules = {
        "create": "membership.record",
        "partial_update": "membership.record",
        "withdraw": "membership.record",
    }
    action_problem_codes = {
        "create": (409,),
        "partial_update": (412, 428),
        "withdraw": (409,),
    }
    serializer_class = DecisionSerializer
    filter_serializer_class = DecisionFilterSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        qs = decision_queryset().order_by(
            "membership__municipality__name", "effective_on", "decided_on", "pk"
        )
        code = self.get_filters().get("municipality_code")
        if code:
            qs = qs.filter(membership__municipality__code=code)
        return qs

    def get_object(self):
        raw = self.kwargs["pk"]
        # A number too large for a key names no decision (and int() refuses very long ones).
        decision = None
        if len(raw) <= len(str(MAX_ID)) and int(raw) <= MAX_ID:
            decision = decision_queryset().filter(pk=int(raw)).first()
        if decision is None:
            raise NotFound(_("Er is geen besluit %(id)s.") % {"id": self.kwargs["pk"]})
        return decision

    def _respond(
        self, decision: Decision, status_code: int = status.HTTP_200_OK, *, reread: bool = True
    ) -> Response:
        if reread:  # a service's result, without the annotations of the queryset
            decision = decision_queryset().get(pk=decision.pk)
        headers = {"ETag": etag_of(decision)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = self.request.build_absolute_uri(
                reverse("api:decision-detail", kwargs={"pk": decision.pk})
            )
        data = self.get_serializer(decision).data
        return Response(data, status=status_code, headers=headers)

    def _expected_version(self, decision: Decision) -> int:
        """The version ``If-Match`` names, if it is the current one; else 428 or 412."""
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            raise PreconditionRequired
        tags = [tag.strip() for tag in re.split(r",(?=\s*(?:W/)?\")", header)]
        if etag_of(decision) not in tags:
            raise PreconditionFailed
        return decision.version

    @extend_schema(
        operation_id="listDecisions",
        summary=gettext_lazy("Besluiten uit de lidmaatschapsdossiers"),
        description=gettext_lazy(
            "Alle besluiten, ook gecorrigeerde en ingetrokken (met correctedBy en withdrawn),"
            " per gemeente op datum van ingang. Openbaar; document en opmerkingen alleen voor"
            " wie de details van het dossier mag zien, voor anderen null."
        ),
        parameters=[DecisionFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getDecision",
        summary=gettext_lazy("Eén besluit"),
        description=gettext_lazy(
            "Een besluit met zijn ETag, de versie voor If-Match bij een wijziging. Openbaar;"
            " document en opmerkingen alleen voor wie de details van het dossier mag zien."
        ),
        parameters=[DECISION_ID, etag_header_parameter(response=[200])],
    )
    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object(), reread=False)

    @extend_schema(
        operation_id="recordDecision",
        summary=gettext_lazy("Een besluit vastleggen (bureau)"),
        description=gettext_lazy(
            "Legt een besluit vast in het dossier van de gemeente, na dezelfde regels als het"
            " formulier. Met corrects: de volledige, verbeterde versie van een eerder besluit,"
            " dat daarmee niet meer telt. Een geweigerd besluit geeft 400 met in invalidParams"
            " elke regel die het zou breken (code en uitleg), en er wordt niets vastgelegd."
            " Alleen voor het bureau."
        ),
        request=DecisionRecordSerializer,
        responses={201: DecisionSerializer},
        parameters=[ETAG_201, LOCATION_201],
        examples=[RECORD_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        serializer = DecisionRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():  # no empty membership is left when refused
                membership = services.membership_for(
                    municipality=serializer.validated_data["municipality"]
                )
                decision = services.decision_record(
                    membership=membership,
                    actor=request.user,
                    origin=ORIGIN,
                    **serializer.service_arguments(),
                )
        except DjangoValidationError as exc:
            raise _invalid(exc) from exc
        except IntegrityError as exc:
            raise _already_changed() from exc
        return self._respond(decision, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="updateDecisionDocument",
        summary=gettext_lazy("Document en opmerkingen van een besluit aanvullen (bureau)"),
        description=gettext_lazy(
            "Wijzigt alleen documentTitle, documentNumber, documentUrl, remarks en announcedOn;"
            " de rest van een besluit verandert alleen door een correctie. Vereist If-Match met"
            " de ETag van de gelezen versie: zonder 428, verouderd 412. Het antwoord heeft de"
            " nieuwe ETag. Alleen voor het bureau."
        ),
        request=DecisionDocumentSerializer,
        responses={200: DecisionSerializer},
        examples=[DOCUMENT_EXAMPLE],
        parameters=[DECISION_ID, if_match_parameter(), etag_header_parameter(response=[200])],
    )
    def partial_update(self, request, *args, **kwargs):
        decision = self.get_object()
        expected = self._expected_version(decision)
        serializer = DecisionDocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            decision = services.decision_document_update(
                decision=decision,
                expected_version=expected,
                actor=request.user,
                origin=ORIGIN,
                **serializer.service_arguments(),
            )
        except services.ConcurrentEdit as exc:
            raise PreconditionFailed from exc
        except DjangoValidationError as exc:
            raise _invalid(exc) from exc
        return self._respond(decision)

    @extend_schema(
        operation_id="withdrawDecision",
        summary=gettext_lazy("Een ten onrechte vastgelegd besluit intrekken (bureau)"),
        description=gettext_lazy(
            "Legt vast dat het besluit ten onrechte is vastgelegd: een besluit van de soort"
            " intrekking, met de reden in de opmerkingen. Het ingetrokken besluit blijft in de"
            " geschiedenis (withdrawn) maar telt niet meer. Geeft het intrekkingsbesluit."
            " Alleen voor het bureau."
        ),
        request=WithdrawalSerializer,
        responses={201: DecisionSerializer},
        examples=[WITHDRAWAL_EXAMPLE],
        parameters=[DECISION_ID, ETAG_201, LOCATION_201],
    )
    @action(detail=True, methods=["post"], url_path="intrekking", url_name="withdraw")
    def withdraw(self, request, *args, **kwargs):
        decision = self.get_object()
        serializer = WithdrawalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            withdrawal = services.decision_withdraw(
                decision=decision,
                reason=serializer.validated_data["reason"],
                actor=request.user,
                origin=ORIGIN,
            )
        except DjangoValidationError as exc:
            raise _invalid(exc) from exc
        except IntegrityError as exc:
            raise _already_changed() from exc
        return self._respond(withdrawal, status.HTTP_201_CREATED)

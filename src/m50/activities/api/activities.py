"""/api/v1/activiteiten: the activities the caller may see; planned, changed and cancelled by
their organisers through the same services as the forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from m50.accounts.permissions import has_rule
from m50.activities import rules, selectors, services
from m50.activities.api.common import (
    ACTIVITY_FIELDS,
    AUDIENCE_VALUES,
    KIND_VALUES,
    MAX_PLACES,
    ORIGIN,
    STATE_VALUES,
    STATUS_VALUES,
    MomentField,
    day_start,
    with_registration_counts,
)
from m50.activities.models import Activity, RegistrationState
from m50.api.fields import BlankAsNullCharField, LinkField, MappedChoiceField
from m50.api.serializers import StrictSerializer
from m50.api.viewsets import ApiViewSet
from m50.membership.api import MunicipalityCodeField
from m50.municipalities import selectors as registry
from m50.municipalities.api import MunicipalityReferenceSerializer
from m50.pillars import selectors as pillars
from m50.pillars.api.common import (
    PEOPLE_RULE,
    BodyReferenceSerializer,
    PillarDateField,
    PillarSlugField,
    ThemeGroupSlugField,
    ThemeSlugField,
    ThemeSlugsField,
    ThemeSlugsReadField,
    created,
    id_from_path,
    id_parameter,
    location_parameter,
    service_error,
)
from m50.pillars.models import Topic

VIEW_RULE = "activities.view"
# Plan, change, cancel: any logged-in role may try; the object check decides (403 if not).
WRITE_RULE = "activities.manage_own"
MAX_TOPICS = 50


# --- Query parameters -------------------------------------------------------------------------


class ActivityFilterSerializer(serializers.Serializer):
    """The query parameters of the list; sources are the selector's arguments."""

    soort = MappedChoiceField(
        KIND_VALUES, source="kind", required=False, help_text=gettext_lazy("Alleen deze soort.")
    )
    pijler = PillarSlugField(
        source="pillar",
        required=False,
        help_text=gettext_lazy(
            "Alleen activiteiten van of voor de pijler met deze slug (ook die van zijn"
            " themagroepen)."
        ),
    )
    themagroep = ThemeGroupSlugField(
        source="theme_group",
        required=False,
        help_text=gettext_lazy("Alleen activiteiten van of voor de themagroep met deze slug."),
    )
    gemeente = MunicipalityCodeField(
        source="municipality",
        required=False,
        help_text=gettext_lazy("Alleen activiteiten met deze gastgemeente (CBS-code)."),
    )
    van = PillarDateField(
        source="since",
        required=False,
        help_text=gettext_lazy("Alleen activiteiten die op of na deze dag eindigen."),
    )
    tot = PillarDateField(
        source="until",
        required=False,
        help_text=gettext_lazy("Alleen activiteiten die op of vóór deze dag beginnen."),
    )
    status = MappedChoiceField(
        STATUS_VALUES,
        required=False,
        help_text=gettext_lazy("Alleen geplande of alleen geannuleerde activiteiten."),
    )
    thema = ThemeSlugField(
        source="theme",
        required=False,
        help_text=gettext_lazy("Alleen activiteiten met het thema met deze slug (zoals wonen)."),
    )

    def validate_gemeente(self, code: str):
        municipality = registry.municipality_queryset().filter(code=code).first()
        if municipality is None:
            raise serializers.ValidationError(
                _("Onbekende gemeente %(code)s.") % {"code": code}, code="unknown"
            )
        return municipality

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError(
                {"tot": [_("De einddatum (tot) ligt vóór de begindatum (van).")]}, code="order"
            )
        return attrs


# --- Responses --------------------------------------------------------------------------------


class RegistrationSummarySerializer(serializers.Serializer):
    """Hoeveel plaatsen er zijn, hoeveel er bezet zijn en hoeveel mensen wachten."""

    capacity = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Aantal plaatsen; null: geen grens.")
    )
    confirmed = serializers.IntegerField(help_text=gettext_lazy("Aantal geplaatste mensen."))
    waitlisted = serializers.IntegerField(help_text=gettext_lazy("Aantal mensen op de wachtlijst."))
    placesLeft = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Vrije plaatsen; null: geen grens.")
    )


class TopicReferenceSerializer(serializers.Serializer):
    """Een onderwerp waaraan de activiteit bijdraagt."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van het onderwerp."))
    title = serializers.CharField(help_text=gettext_lazy("Titel."))


class ActivitySerializer(serializers.Serializer):
    """Een activiteit van het netwerk: een vergadering, bijeenkomst, overleg, webinar of
    werkbezoek, met de stand van de aanmeldingen. Tijden in Europe/Amsterdam."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de activiteit."))
    kind = MappedChoiceField(KIND_VALUES, enum_name="ActivityKind")
    title = serializers.CharField(help_text=gettext_lazy("Titel."))
    description = BlankAsNullCharField(help_text=gettext_lazy("Omschrijving; null als er geen is."))
    pillar = BodyReferenceSerializer(
        source="organiser_pillar",
        allow_null=True,
        help_text=gettext_lazy("De organiserende pijler; null als die er niet is."),
    )
    themeGroup = BodyReferenceSerializer(
        source="organiser_theme_group",
        allow_null=True,
        help_text=gettext_lazy(
            "De organiserende themagroep; null als die er niet is. Beide null: het bureau"
            " organiseert."
        ),
    )
    startsAt = serializers.DateTimeField(source="starts_at", help_text=gettext_lazy("Begin."))
    endsAt = serializers.DateTimeField(
        source="ends_at",
        help_text=gettext_lazy("Einde (bij een hele dag: middernacht na de laatste dag)."),
    )
    allDay = serializers.BooleanField(source="all_day", help_text=gettext_lazy("Hele dagen."))
    address = BlankAsNullCharField(help_text=gettext_lazy("Adres; null als er geen is."))
    hostMunicipality = MunicipalityReferenceSerializer(
        source="host_municipality",
        allow_null=True,
        help_text=gettext_lazy("De gastgemeente; null als die er niet is."),
    )
    online = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Er is een link voor online deelname (die staat alleen bij wie een plaats heeft)."
        )
    )
    audience = MappedChoiceField(
        AUDIENCE_VALUES,
        enum_name="ActivityAudience",
        help_text=gettext_lazy("Voor wie de activiteit is."),
    )
    audiencePillar = BodyReferenceSerializer(
        source="audience_pillar",
        allow_null=True,
        help_text=gettext_lazy("Bij 'pijler-of-groep': de pijler; anders null."),
    )
    audienceThemeGroup = BodyReferenceSerializer(
        source="audience_theme_group",
        allow_null=True,
        help_text=gettext_lazy("Bij 'pijler-of-groep': de themagroep; anders null."),
    )
    topics = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "De onderwerpen waaraan de activiteit bijdraagt; null voor wie niet is ingelogd."
        )
    )
    themes = ThemeSlugsReadField(
        help_text=gettext_lazy(
            "De thema's van de activiteit (slugs, zoals wonen), uit de lijst die het hele"
            " netwerk gebruikt."
        ),
    )
    registrationOpensAt = serializers.DateTimeField(
        source="registration_opens_at",
        allow_null=True,
        help_text=gettext_lazy("Aanmelden kan vanaf; null: meteen."),
    )
    registrationClosesAt = serializers.DateTimeField(
        source="registration_closes_at",
        allow_null=True,
        help_text=gettext_lazy("Aanmelden kan tot; null: tot het begin."),
    )
    registrationOpen = serializers.SerializerMethodField(
        help_text=gettext_lazy("Aanmelden kan nu (gepland en binnen de aanmeldperiode).")
    )
    municipalityLimit = serializers.IntegerField(
        source="municipality_limit",
        allow_null=True,
        help_text=gettext_lazy("Plaatsen per gemeente; null: geen grens."),
    )
    registrations = serializers.SerializerMethodField(
        help_text=gettext_lazy("De stand van de aanmeldingen.")
    )
    status = MappedChoiceField(
        STATUS_VALUES, enum_name="ActivityStatus", help_text=gettext_lazy("gepland of geannuleerd.")
    )
    cancelledAt = serializers.DateTimeField(
        source="cancelled_at",
        allow_null=True,
        help_text=gettext_lazy("Geannuleerd op; null zolang ze gepland is."),
    )
    cancellationReason = BlankAsNullCharField(
        source="cancellation_reason",
        help_text=gettext_lazy("Reden van de annulering; null zolang ze gepland is."),
    )
    seriesId = serializers.IntegerField(
        source="series_id",
        allow_null=True,
        help_text=gettext_lazy("Het nummer van de reeks waartoe ze hoort; null: geen reeks."),
    )

    def get_online(self, activity: Activity) -> bool:
        return bool(activity.online_url)

    @extend_schema_field(TopicReferenceSerializer(many=True, allow_null=True))
    def get_topics(self, activity: Activity) -> list[dict] | None:
        if not self.context.get("sees_topics"):
            return None
        return [{"id": t.pk, "title": t.title} for t in activity.topics.all()]

    def get_registrationOpen(self, activity: Activity) -> bool:  # noqa: N802 (the public name)
        return not activity.is_cancelled and rules.registration_window_open(
            activity, now=self.context.get("now")
        )

    @extend_schema_field(RegistrationSummarySerializer)
    def get_registrations(self, activity: Activity) -> dict:
        confirmed = activity.confirmed_count
        capacity = activity.capacity
        return {
            "capacity": capacity,
            "confirmed": confirmed,
            "waitlisted": activity.waitlisted_count,
            "placesLeft": None if capacity is None else max(capacity - confirmed, 0),
        }


class MyRegistrationSerializer(serializers.Serializer):
    """De aanmelding van wie vraagt (als die er is)."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de aanmelding."))
    state = MappedChoiceField(STATE_VALUES, enum_name="RegistrationState")
    waitingPosition = serializers.IntegerField(
        source="waiting_position",
        allow_null=True,
        help_text=gettext_lazy("Plaats op de wachtlijst (1 is de volgende); null bij een plaats."),
    )


class ActivityDetailSerializer(ActivitySerializer):
    """Een activiteit, met de eigen aanmelding van wie vraagt en (voor wie een plaats heeft)
    de link voor online deelname."""

    onlineUrl = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "De link voor online deelname; alleen voor wie een plaats heeft en voor de"
            " organisator, anders null."
        )
    )
    myRegistration = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Uw aanmelding (geplaatst of op de wachtlijst); null als u niet bent aangemeld."
        )
    )
    mayManage = serializers.SerializerMethodField(
        help_text=gettext_lazy("U mag deze activiteit wijzigen en annuleren.")
    )

    def get_onlineUrl(self, activity: Activity) -> str | None:  # noqa: N802 (the public name)
        mine = self.context.get("registration")
        holds_seat = mine is not None and mine.state == RegistrationState.CONFIRMED
        if activity.online_url and (holds_seat or self.context.get("manages")):
            return activity.online_url
        return None

    @extend_schema_field(MyRegistrationSerializer(allow_null=True))
    def get_myRegistration(self, activity: Activity) -> dict | None:  # noqa: N802
        mine = self.context.get("registration")
        if mine is None:
            return None
        position = mine.waiting_position if mine.state == RegistrationState.WAITLISTED else None
        return {"id": mine.pk, "state": mine.state, "waitingPosition": position}

    def get_mayManage(self, activity: Activity) -> bool:  # noqa: N802 (the public name)
        return bool(self.context.get("manages"))


# --- Request bodies ---------------------------------------------------------------------------


def _optional_moment(help_text, **kwargs):
    return MomentField(required=False, allow_null=True, help_text=help_text, **kwargs)


class ActivityChangeSerializer(StrictSerializer):
    """Wat er aan een activiteit verandert; wat ontbreekt, blijft zoals het is."""

    kind = MappedChoiceField(KIND_VALUES, enum_name="ActivityKind", required=False)
    title = serializers.CharField(max_length=200, required=False, help_text=gettext_lazy("Titel."))
    description = serializers.CharField(
        max_length=10_000, required=False, allow_blank=True, help_text=gettext_lazy("Omschrijving.")
    )
    startsAt = MomentField(source="starts_at", required=False, help_text=gettext_lazy("Begin."))
    endsAt = MomentField(
        source="ends_at",
        required=False,
        help_text=gettext_lazy("Einde; bij hele dagen middernacht na de laatste dag."),
    )
    allDay = serializers.BooleanField(
        source="all_day",
        required=False,
        help_text=gettext_lazy("Hele dagen: begin en einde vallen op middernacht."),
    )
    address = serializers.CharField(
        max_length=1_000, required=False, allow_blank=True, help_text=gettext_lazy("Adres.")
    )
    hostMunicipality = MunicipalityCodeField(
        source="host_municipality",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("CBS-code van de gastgemeente, zoals GM0384; null: geen."),
    )
    onlineUrl = LinkField(
        source="online_url",
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Link voor online deelname; alleen wie een plaats heeft ziet hem."),
    )
    audience = MappedChoiceField(
        AUDIENCE_VALUES,
        enum_name="ActivityAudience",
        required=False,
        help_text=gettext_lazy(
            "Voor wie; bij 'pijler-of-groep' ook audiencePillar of audienceThemeGroup."
        ),
    )
    audiencePillar = PillarSlugField(
        source="audience_pillar",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Bij 'pijler-of-groep': de slug van de pijler."),
    )
    audienceThemeGroup = ThemeGroupSlugField(
        source="audience_theme_group",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Bij 'pijler-of-groep': de slug van de themagroep."),
    )
    topicIds = serializers.ListField(
        source="topics",
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=MAX_TOPICS,
        required=False,
        help_text=gettext_lazy(
            "De onderwerpen (nummers, zie /onderwerpen) waaraan de activiteit bijdraagt; van de"
            " organiserende pijler of themagroep."
        ),
    )
    themes = ThemeSlugsField(
        required=False,
        help_text=gettext_lazy(
            "De thema's van de activiteit (slugs, zoals wonen), uit de lijst die het hele"
            " netwerk gebruikt; alleen thema's die in gebruik zijn (een thema dat niet meer in"
            " gebruik is, mag blijven staan)."
        ),
    )
    registrationOpensAt = _optional_moment(
        gettext_lazy("Aanmelden kan vanaf; null: meteen."), source="registration_opens_at"
    )
    registrationClosesAt = _optional_moment(
        gettext_lazy("Aanmelden kan tot; null: tot het begin."), source="registration_closes_at"
    )
    capacity = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PLACES,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Aantal plaatsen; null: geen grens."),
    )
    municipalityLimit = serializers.IntegerField(
        source="municipality_limit",
        min_value=1,
        max_value=MAX_PLACES,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Plaatsen per gemeente; null: geen grens."),
    )

    def validate_hostMunicipality(self, code):  # noqa: N802 (the public name)
        if code is None:
            return None
        municipality = registry.municipality_queryset().filter(code=code).first()
        if municipality is None:
            raise serializers.ValidationError(
                _("Onbekende gemeente %(code)s.") % {"code": code}, code="unknown"
            )
        return municipality

    def validate_topicIds(self, ids):  # noqa: N802 (the public name)
        topics = list(Topic.objects.filter(pk__in=set(ids)))
        unknown = sorted(set(ids) - {t.pk for t in topics})
        if unknown:
            raise serializers.ValidationError(
                _("Er is geen onderwerp %(id)s.") % {"id": unknown[0]}, code="unknown"
            )
        return topics

    def validate(self, attrs):
        if attrs.get("audience_pillar") and attrs.get("audience_theme_group"):
            raise serializers.ValidationError(
                {
                    "audienceThemeGroup": [
                        _("Geef een pijler of een themagroep als doelgroep, niet allebei.")
                    ]
                },
                code="one_body",
            )
        return attrs

    def service_arguments(self) -> dict:
        values = dict(self.validated_data)
        if "audience_pillar" in values or "audience_theme_group" in values:
            values["audience_body"] = values.pop("audience_pillar", None) or values.pop(
                "audience_theme_group", None
            )
            values.pop("audience_theme_group", None)
        return values


class ActivityCreateSerializer(ActivityChangeSerializer):
    """Een activiteit om te plannen. Zonder pillar en themeGroup organiseert het bureau."""

    pillar = PillarSlugField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De slug van de organiserende pijler; of themeGroup, of geen."),
    )
    themeGroup = ThemeGroupSlugField(
        source="theme_group",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De slug van de organiserende themagroep."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "title", "startsAt", "endsAt"):
            self.fields[name].required = True

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("pillar") and attrs.get("theme_group"):
            raise serializers.ValidationError(
                {
                    "themeGroup": [
                        _("Geef een pijler of een themagroep als organisator, niet allebei.")
                    ]
                },
                code="one_body",
            )
        return attrs

    def service_arguments(self) -> dict:
        values = super().service_arguments()
        values["organiser"] = values.pop("pillar", None) or values.pop("theme_group", None)
        values.pop("theme_group", None)
        return values


class CancellationSerializer(StrictSerializer):
    """Waarom de activiteit niet doorgaat."""

    reason = serializers.CharField(
        max_length=2_000,
        help_text=gettext_lazy("De reden; gaat mee in het bericht aan wie is aangemeld."),
    )


# --- The view set -----------------------------------------------------------------------------

CREATE_EXAMPLE = OpenApiExample(
    "pijlerbijeenkomst",
    summary=gettext_lazy("Een bijeenkomst van de pijler Sociaal in Diemen, 30 plaatsen"),
    request_only=True,
    value={
        "kind": "pijlerbijeenkomst",
        "title": "Bijeenkomst Sociaal",
        "pillar": "sociaal",
        "startsAt": "2027-03-04T10:00:00+01:00",
        "endsAt": "2027-03-04T12:00:00+01:00",
        "hostMunicipality": "GM0384",
        "audience": "pijler-of-groep",
        "audiencePillar": "sociaal",
        "themes": ["zorg-en-welzijn"],
        "capacity": 30,
    },
)
CHANGE_EXAMPLE = OpenApiExample(
    "meer plaatsen",
    summary=gettext_lazy("Tien plaatsen erbij: de wachtlijst schuift door"),
    request_only=True,
    value={"capacity": 40},
)
CANCEL_EXAMPLE = OpenApiExample(
    "verplaatst",
    summary=gettext_lazy("Geannuleerd met een reden"),
    request_only=True,
    value={"reason": "De spreker is verhinderd; we plannen een nieuwe datum."},
)
ACTIVITY_ID = id_parameter(gettext_lazy("Het nummer van de activiteit."))


def with_page_data(queryset, *, sees_topics: bool):
    """The counts of registrations, the themes (one query more), and the topics for whoever
    sees them (one query more)."""
    queryset = with_registration_counts(queryset).prefetch_related(
        Prefetch("themes", queryset=pillars.theme_list())
    )
    if sees_topics:
        queryset = queryset.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("title", "pk"))
        )
    return queryset


def activity_queryset(user, *, sees_topics: bool):
    return with_page_data(selectors.activity_list(user=user, when="all"), sees_topics=sees_topics)


@extend_schema(tags=["activiteiten"])
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Activities as the agenda shows them: each to its audience (anonymous callers the public
    ones); planned, changed and cancelled by the bureau, public affairs (the bureau's work
    visits and consultations) and the chair of the organising pillar or group."""

    permission_rule = VIEW_RULE
    action_permission_rules = {
        "create": WRITE_RULE,
        "partial_update": WRITE_RULE,
        "cancel": WRITE_RULE,
    }
    serializer_class = ActivitySerializer
    filter_serializer_class = ActivityFilterSerializer
    lookup_value_regex = "[0-9]+"

    @cached_property
    def sees_topics(self) -> bool:
        return has_rule(self.request.user, PEOPLE_RULE)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sees_topics": self.sees_topics}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return Activity.objects.none()
        filters = self.get_filters()
        queryset = selectors.activity_list(
            user=self.request.user,
            when="all",
            kind=filters.get("kind", ""),
            pillar=filters.get("pillar"),
            theme_group=filters.get("theme_group"),
            municipality=filters.get("municipality"),
            theme=filters.get("theme"),
        )
        if filters.get("since"):
            queryset = queryset.filter(ends_at__gt=day_start(filters["since"]))
        if filters.get("until"):
            following = filters["until"] + datetime.timedelta(days=1)
            queryset = queryset.filter(starts_at__lt=day_start(following))
        if filters.get("status"):
            queryset = queryset.filter(status=filters["status"])
        return with_page_data(queryset, sees_topics=self.sees_topics).order_by("starts_at", "pk")

    def get_object(self) -> Activity:
        pk = id_from_path(self.kwargs["pk"])
        activity = None
        if pk is not None:
            activity = (
                activity_queryset(self.request.user, sees_topics=self.sees_topics)
                .filter(pk=pk)
                .first()
            )
        if activity is None:
            # Who may not see it does not learn that it exists.
            raise NotFound(_("Er is geen activiteit %(id)s.") % {"id": self.kwargs["pk"]})
        return activity

    def _detail(self, activity: Activity) -> dict:
        user = self.request.user
        context = {
            **self.get_serializer_context(),
            "registration": selectors.registration_of(
                activity=activity, person_id=rules._person_id(user)
            ),
            "manages": user.is_authenticated and rules.may_manage(user, activity),
        }
        return ActivityDetailSerializer(activity, context=context).data

    def _fresh(self, pk: int) -> Activity:
        return self._queryset().get(pk=pk)

    def _queryset(self):
        return activity_queryset(self.request.user, sees_topics=self.sees_topics)

    @extend_schema(
        operation_id="listActivities",
        summary=gettext_lazy("De activiteiten die u mag zien"),
        description=gettext_lazy(
            "Vergaderingen, bijeenkomsten, overleggen, webinars en werkbezoeken, op begintijd,"
            " met de stand van de aanmeldingen; te filteren op soort, pijler, themagroep,"
            " gastgemeente, periode (van, tot), status en thema. Zonder inloggen de openbare"
            " activiteiten; ingelogd ook die voor alle deelnemers van leden, uw pijlers en"
            " themagroepen, bestuurders (als u dat bent) en waarvoor u bent uitgenodigd."
        ),
        parameters=[ActivityFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getActivity",
        summary=gettext_lazy("Eén activiteit"),
        description=gettext_lazy(
            "Een activiteit op nummer, met uw eigen aanmelding (en plaats op de wachtlijst) en,"
            " als u een plaats heeft, de link voor online deelname. Een activiteit die u niet"
            " mag zien geeft 404."
        ),
        parameters=[ACTIVITY_ID],
        responses={200: ActivityDetailSerializer},
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    @extend_schema(
        operation_id="planActivity",
        summary=gettext_lazy("Een activiteit plannen"),
        description=gettext_lazy(
            "Plant een activiteit, na dezelfde regels als het formulier: een titel, een einde na"
            " het begin, hele dagen van middernacht tot middernacht, aanmelden sluit na het"
            " opengaan en niet na het einde, onderwerpen van de organisator. Organiseert een"
            " pijler of themagroep (pillar, themeGroup), dan mag de voorzitter daarvan en het"
            " bureau; zonder organisator het bureau, en public affairs werkbezoeken en"
            " bestuurlijke overleggen. Anderen krijgen 403. Een geweigerde activiteit geeft 400"
            " met de reden; er wordt dan niets vastgelegd."
        ),
        request=ActivityCreateSerializer,
        responses={201: ActivityDetailSerializer},
        parameters=[location_parameter(gettext_lazy("De URL van de geplande activiteit."))],
        examples=[CREATE_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        serializer = ActivityCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.service_arguments()
        if not rules.may_organise(request.user, organiser=values["organiser"], kind=values["kind"]):
            raise PermissionDenied(
                _(
                    "U mag deze activiteit niet organiseren: dat doen het bureau, de voorzitter"
                    " van de organiserende pijler of themagroep, en public affairs de"
                    " werkbezoeken en bestuurlijke overleggen van het bureau."
                )
            )
        try:
            activity = services.activity_create(actor=request.user, origin=ORIGIN, **values)
        except DjangoValidationError as exc:
            raise service_error(exc, ACTIVITY_FIELDS) from exc
        return created(
            request, self._detail(self._fresh(activity.pk)), "api:activity-detail", activity.pk
        )

    @extend_schema(
        operation_id="changeActivity",
        summary=gettext_lazy("Een activiteit wijzigen"),
        description=gettext_lazy(
            "Wijzigt de gegeven velden; de organisator blijft. Een wijziging van tijd, plaats of"
            " link gaat per e-mail en in de agenda's naar wie is aangemeld; meer plaatsen laten"
            " de wachtlijst doorschuiven; minder plaatsen dan er bezet zijn kan niet. Mag: wie"
            " de activiteit mag annuleren (zie annulering); anderen krijgen 403. Een"
            " geannuleerde activiteit wijzigt niet meer (400)."
        ),
        request=ActivityChangeSerializer,
        responses={200: ActivityDetailSerializer},
        parameters=[ACTIVITY_ID],
        examples=[CHANGE_EXAMPLE],
    )
    def partial_update(self, request, *args, **kwargs):
        activity = self._managed_object()
        serializer = ActivityChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.service_arguments()
        if "kind" in values and not rules.may_organise(
            request.user, organiser=activity.organiser, kind=values["kind"]
        ):
            # Public affairs manages the bureau's visits and consultations, and cannot turn one
            # into a kind it may not organise.
            raise PermissionDenied(_("U mag een activiteit van deze soort niet organiseren."))
        topics = values.pop("topics", None)
        try:
            services.activity_update(
                activity=activity, actor=request.user, origin=ORIGIN, topics=topics, **values
            )
        except DjangoValidationError as exc:
            raise service_error(exc, ACTIVITY_FIELDS) from exc
        return Response(self._detail(self._fresh(activity.pk)))

    @extend_schema(
        operation_id="cancelActivity",
        summary=gettext_lazy("Een activiteit annuleren"),
        description=gettext_lazy(
            "Annuleert de activiteit met een reden: ze blijft bestaan als geannuleerd, met haar"
            " aanmeldingen; wie is aangemeld krijgt bericht en ziet haar in de agenda als"
            " geannuleerd. Mag: het bureau, de voorzitter van de organiserende pijler of"
            " themagroep, en public affairs de werkbezoeken en bestuurlijke overleggen van het"
            " bureau; anderen krijgen 403. Al geannuleerd: 400."
        ),
        request=CancellationSerializer,
        responses={200: ActivityDetailSerializer},
        parameters=[ACTIVITY_ID],
        examples=[CANCEL_EXAMPLE],
    )
    @action(detail=True, methods=["post"], url_path="annulering", url_name="cancel")
    def cancel(self, request, *args, **kwargs):
        activity = self._managed_object()
        serializer = CancellationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.activity_cancel(
                activity=activity,
                actor=request.user,
                reason=serializer.validated_data["reason"],
                origin=ORIGIN,
            )
        except DjangoValidationError as exc:
            raise service_error(exc, ACTIVITY_FIELDS) from exc
        return Response(self._detail(self._fresh(activity.pk)))

    def _managed_object(self) -> Activity:
        activity = self.get_object()
        if not rules.may_manage(self.request.user, activity):
            raise PermissionDenied(
                _(
                    "U mag deze activiteit niet wijzigen of annuleren: dat doen het bureau en de"
                    " organisator."
                )
            )
        return activity

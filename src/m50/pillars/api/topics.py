"""/api/v1/onderwerpen: what pillars and theme groups work on, for logged-in users; proposed
by who takes part, adopted, parked, closed or reopened by the chair (or the bureau)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from m50.api.fields import BlankAsNullCharField, MappedChoiceField
from m50.api.serializers import StrictSerializer
from m50.api.viewsets import ApiViewSet
from m50.contacts.models import Person
from m50.membership.api import MAX_ID
from m50.pillars import rules, selectors, services
from m50.pillars.api.common import (
    ORIGIN,
    PEOPLE_RULE,
    TOPIC_FIELDS,
    TOPIC_STATUS_VALUES,
    BodyReferenceSerializer,
    PersonReferenceSerializer,
    PillarSlugField,
    ThemeGroupSlugField,
    ThemeSlugField,
    ThemeSlugsField,
    ThemeSlugsReadField,
    created,
    id_from_path,
    id_parameter,
    location_parameter,
    one_body,
    service_error,
)
from m50.pillars.models import Topic

PROPOSE_RULE = "pillars.propose_topic"
MANAGE_RULE = "pillars.manage_own"


class TopicFilterSerializer(serializers.Serializer):
    pijler = PillarSlugField(
        source="pillar",
        required=False,
        help_text=gettext_lazy("Alleen de onderwerpen van de pijler met deze slug."),
    )
    themagroep = ThemeGroupSlugField(
        source="theme_group",
        required=False,
        help_text=gettext_lazy("Alleen de onderwerpen van de themagroep met deze slug."),
    )
    status = MappedChoiceField(
        TOPIC_STATUS_VALUES,
        required=False,
        help_text=gettext_lazy("Alleen onderwerpen met deze status."),
    )
    thema = ThemeSlugField(
        source="theme",
        required=False,
        help_text=gettext_lazy("Alleen de onderwerpen met het thema met deze slug (zoals wonen)."),
    )


class TopicSerializer(serializers.Serializer):
    """Een onderwerp waaraan een pijler of themagroep werkt, voorgesteld door een deelnemer."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van het onderwerp."))
    title = serializers.CharField(help_text=gettext_lazy("Titel."))
    description = BlankAsNullCharField(help_text=gettext_lazy("Korte omschrijving."))
    status = MappedChoiceField(
        TOPIC_STATUS_VALUES,
        enum_name="TopicStatus",
        help_text=gettext_lazy("voorgesteld, aangenomen, geparkeerd of afgesloten."),
    )
    pillar = BodyReferenceSerializer(
        allow_null=True, help_text=gettext_lazy("De pijler; null bij een themagroep.")
    )
    themeGroup = BodyReferenceSerializer(
        source="theme_group",
        allow_null=True,
        help_text=gettext_lazy("De themagroep; null bij een pijler."),
    )
    owner = PersonReferenceSerializer(
        allow_null=True,
        help_text=gettext_lazy("Eigenaar van het onderwerp; null als die is verwijderd."),
    )
    proposedAt = serializers.DateTimeField(
        source="created_at", help_text=gettext_lazy("Voorgesteld op.")
    )
    themes = ThemeSlugsReadField(
        help_text=gettext_lazy(
            "De thema's van het onderwerp (slugs, zoals wonen), uit de lijst die het hele"
            " netwerk gebruikt."
        ),
    )


class TopicStatusChangeSerializer(serializers.Serializer):
    """Eén stap in de geschiedenis van een onderwerp."""

    fromStatus = MappedChoiceField(
        TOPIC_STATUS_VALUES,
        enum_name="TopicStatus",
        source="from_status",
        allow_null=True,
        help_text=gettext_lazy("De status ervoor; null bij het voorstel zelf."),
    )
    toStatus = MappedChoiceField(
        TOPIC_STATUS_VALUES,
        enum_name="TopicStatus",
        source="to_status",
        help_text=gettext_lazy("De nieuwe status."),
    )
    changedAt = serializers.DateTimeField(source="changed_at", help_text=gettext_lazy("Op."))
    changedBy = BlankAsNullCharField(
        source="changed_by_label", help_text=gettext_lazy("Door wie, zoals het logboek die noemt.")
    )
    note = BlankAsNullCharField(help_text=gettext_lazy("Toelichting."))


class TopicDetailSerializer(TopicSerializer):
    """Een onderwerp met de geschiedenis van zijn status."""

    history = TopicStatusChangeSerializer(
        source="status_changes.all",
        many=True,
        help_text=gettext_lazy("De statuswijzigingen, de oudste (het voorstel) eerst."),
    )


class TopicProposeSerializer(StrictSerializer):
    """Een onderwerp om voor te stellen, voor een lopende pijler of themagroep."""

    pillar = PillarSlugField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De slug van de pijler; of geef themeGroup."),
    )
    themeGroup = ThemeGroupSlugField(
        source="theme_group",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De slug van de themagroep; of geef pillar."),
    )
    title = serializers.CharField(max_length=200, help_text=gettext_lazy("Titel."))
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text=gettext_lazy("Korte omschrijving."),
    )
    ownerId = serializers.IntegerField(
        source="owner",
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy(
            "De eigenaar, die vandaag deelneemt; zonder: de persoon van de gebruiker. Een"
            " ander als eigenaar noemen mogen het bureau en de voorzitter."
        ),
    )
    themes = ThemeSlugsField(
        required=False,
        help_text=gettext_lazy(
            "De thema's van het onderwerp (slugs, zoals wonen), uit de lijst die het hele"
            " netwerk gebruikt; alleen thema's die in gebruik zijn."
        ),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=gettext_lazy("Toelichting bij het voorstel, voor de geschiedenis."),
    )

    def validate_ownerId(self, pk: int | None):  # noqa: N802 (the public name)
        if pk is None:
            return None
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            raise serializers.ValidationError(
                _("Er is geen persoon %(id)s.") % {"id": pk}, code="unknown"
            )
        return person

    def validate(self, attrs):
        return one_body(attrs)


class TopicStatusSerializer(StrictSerializer):
    """De nieuwe status van een onderwerp, met een toelichting."""

    status = MappedChoiceField(
        TOPIC_STATUS_VALUES,
        enum_name="TopicStatus",
        help_text=gettext_lazy(
            "Van voorgesteld naar aangenomen, geparkeerd of afgesloten; van aangenomen naar"
            " geparkeerd of afgesloten; van geparkeerd naar aangenomen of afgesloten; van"
            " afgesloten weer naar voorgesteld."
        ),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=gettext_lazy("Toelichting, voor de geschiedenis."),
    )


PROPOSE_EXAMPLE = OpenApiExample(
    "jeugdzorg",
    summary=gettext_lazy("Een onderwerp voor de pijler Sociaal"),
    request_only=True,
    value={
        "pillar": "sociaal",
        "title": "Wachtlijsten jeugdzorg",
        "description": "Wat middelgrote gemeenten samen kunnen doen aan de wachtlijsten.",
        "themes": ["jeugdzorg"],
    },
)
STATUS_EXAMPLE = OpenApiExample(
    "aannemen",
    summary=gettext_lazy("De voorzitter neemt het onderwerp aan"),
    request_only=True,
    value={"status": "aangenomen", "note": "Besproken in het pijleroverleg."},
)
TOPIC_ID = id_parameter(gettext_lazy("Het nummer van het onderwerp."))


@extend_schema(tags=["onderwerpen"])
class TopicViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Topics: read by every logged-in user; proposed by who takes part (and the bureau); their
    status changed by the chair of their pillar or group (and the bureau)."""

    permission_rule = PEOPLE_RULE
    action_permission_rules = {"create": PROPOSE_RULE, "change_status": MANAGE_RULE}
    serializer_class = TopicSerializer
    filter_serializer_class = TopicFilterSerializer
    lookup_value_regex = "[0-9]+"

    def get_serializer_class(self):
        if self.action == "list":
            return TopicSerializer
        return TopicDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return Topic.objects.none()
        return selectors.topic_list(**self.get_filters())

    def get_object(self) -> Topic:
        pk = id_from_path(self.kwargs["pk"])
        try:
            if pk is None:
                raise Topic.DoesNotExist
            return selectors.topic_detail(pk=pk)
        except Topic.DoesNotExist as exc:
            raise NotFound(_("Er is geen onderwerp %(id)s.") % {"id": self.kwargs["pk"]}) from exc

    def _data(self, topic: Topic) -> dict:
        return TopicDetailSerializer(selectors.topic_detail(pk=topic.pk)).data

    @extend_schema(
        operation_id="listTopics",
        summary=gettext_lazy("Onderwerpen van de pijlers en themagroepen"),
        description=gettext_lazy(
            "Onderwerpen op titel, te filteren op pijler, themagroep, status en thema. Alleen"
            " voor gebruikers van het platform."
        ),
        parameters=[TopicFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getTopic",
        summary=gettext_lazy("Eén onderwerp met zijn geschiedenis"),
        description=gettext_lazy(
            "Een onderwerp op nummer met elke statuswijziging: van wat naar wat, wanneer, door"
            " wie en met welke toelichting. Alleen voor gebruikers van het platform."
        ),
        parameters=[TOPIC_ID],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        operation_id="proposeTopic",
        summary=gettext_lazy("Een onderwerp voorstellen"),
        description=gettext_lazy(
            "Stelt een onderwerp voor aan een lopende pijler of themagroep, met status"
            " voorgesteld. Mag: wie er vandaag aan deelneemt, en het bureau; anderen krijgen"
            " 403. De eigenaar neemt er vandaag aan deel. Een geweigerd voorstel (ook een"
            " onbekend thema of een thema dat niet meer in gebruik is) geeft 400; er wordt dan"
            " niets vastgelegd."
        ),
        request=TopicProposeSerializer,
        responses={201: TopicDetailSerializer},
        parameters=[location_parameter(gettext_lazy("De URL van het voorgestelde onderwerp."))],
        examples=[PROPOSE_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        serializer = TopicProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        body = values.get("pillar") or values.get("theme_group")
        if not rules.may_propose_topic(request.user, body):
            raise PermissionDenied(
                _(
                    "U mag hier geen onderwerp voorstellen: dat doen wie aan de pijler of"
                    " themagroep deelnemen, en het bureau."
                )
            )
        own_person_id = getattr(request.user, "person_id", None)
        owner = values.pop("owner", None)
        if owner is not None and owner.pk != own_person_id:
            if not rules.may_manage(request.user, body):
                raise PermissionDenied(
                    _("Alleen het bureau en de voorzitter noemen een ander als eigenaar.")
                )
        elif owner is None:
            owner = request.user.person
            if owner is None:
                raise service_error(
                    DjangoValidationError({"owner": _("Noem de eigenaar van het onderwerp.")}),
                    TOPIC_FIELDS,
                )
        try:
            topic = services.topic_propose(
                owner=owner,
                pillar=values.get("pillar"),
                theme_group=values.get("theme_group"),
                title=values["title"],
                description=values.get("description", ""),
                themes=values.get("themes", ()),
                note=values.get("note", ""),
                actor=request.user,
                origin=ORIGIN,
            )
        except DjangoValidationError as exc:
            raise service_error(exc, TOPIC_FIELDS) from exc
        return created(request, self._data(topic), "api:topic-detail", topic.pk)

    @extend_schema(
        operation_id="changeTopicStatus",
        summary=gettext_lazy("Een onderwerp aannemen, parkeren, afsluiten of heropenen"),
        description=gettext_lazy(
            "Geeft het onderwerp een nieuwe status, met een toelichting voor de geschiedenis."
            " Mag: de voorzitter van de pijler of themagroep (vandaag) en het bureau; anderen"
            " krijgen 403. Een overgang die niet kan, of een andere dan afsluiten in een"
            " pijler of themagroep die niet meer loopt, geeft 400; er verandert dan niets."
        ),
        request=TopicStatusSerializer,
        responses={200: TopicDetailSerializer},
        parameters=[TOPIC_ID],
        examples=[STATUS_EXAMPLE],
    )
    @action(detail=True, methods=["post"], url_path="statuswijziging", url_name="status")
    def change_status(self, request, *args, **kwargs):
        topic = self.get_object()
        if not rules.may_manage(request.user, topic.body):
            raise PermissionDenied(
                _(
                    "U mag de status van dit onderwerp niet wijzigen: dat doen de voorzitter"
                    " van de pijler of themagroep en het bureau."
                )
            )
        serializer = TopicStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            topic = services.topic_status_change(
                topic=topic,
                status=serializer.validated_data["status"],
                note=serializer.validated_data.get("note", ""),
                actor=request.user,
                origin=ORIGIN,
            )
        except DjangoValidationError as exc:
            raise service_error(exc, TOPIC_FIELDS) from exc
        return Response(self._data(topic))

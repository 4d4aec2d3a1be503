"""The view sets of public affairs' endpoints: list and detail, read through the selectors,
which scope every read to the caller (and leave a confidential note out of others' queries)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import NotFound

from m50.api.viewsets import ReadOnlyApiViewSet
from m50.pillars.api.common import (
    SLUG,
    created,
    id_from_path,
    id_parameter,
    location_parameter,
    service_error,
)
from m50.publicaffairs import records, selectors
from m50.publicaffairs.api.serializers import (
    INTERACTION_FIELDS,
    FractieSerializer,
    InteractionCreateSerializer,
    InteractionDetailSerializer,
    InteractionFilterSerializer,
    InteractionSerializer,
    MemberFilterSerializer,
    MemberSerializer,
    MotionFilterSerializer,
    MotionSerializer,
    ThemeDossierSerializer,
    VoteFilterSerializer,
    VoteSerializer,
)
from m50.publicaffairs.models import (
    Fractie,
    Interaction,
    MemberOfParliament,
    Motion,
    ThemeDossier,
    Vote,
)

# The network's logged-in users read what the pages show them (publicaffairs.rules).
VIEW_RULE = "publicaffairs.view_records"
# Public affairs and the bureau record contacts (the service checks it again).
WRITE_RULE = "publicaffairs.manage_records"
READERS = gettext_lazy("Voor ingelogde gebruikers van het netwerk.")


def with_readers(text):
    return format_lazy("{} {}", text, READERS)


class _RecordViewSet(ReadOnlyApiViewSet):
    """A list scoped by a selector, and a detail by number out of the same list."""

    permission_rule = VIEW_RULE
    lookup_value_regex = "[0-9]+"
    model = None
    missing = ""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return self.model.objects.none()
        return self.records(**self.get_filters())

    def records(self, **filters):
        raise NotImplementedError

    def get_object(self):
        pk = id_from_path(self.kwargs["pk"])
        try:
            if pk is None:
                raise self.model.DoesNotExist
            return self.record(pk)
        except self.model.DoesNotExist as exc:
            raise NotFound(self.missing % {"id": self.kwargs["pk"]}) from exc

    def record(self, pk: int):
        return self.records().get(pk=pk)


@extend_schema(tags=["themas"])
class ThemeDossierViewSet(ReadOnlyApiViewSet):
    """The theme dossiers: position, goals, watch terms, committees and linked motions."""

    permission_rule = VIEW_RULE
    serializer_class = ThemeDossierSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ThemeDossier.objects.none()
        return selectors.dossier_list_with_links(user=self.request.user)

    def get_object(self):
        try:
            return self.get_queryset().get(theme__slug=self.kwargs["slug"])
        except ThemeDossier.DoesNotExist as exc:
            raise NotFound(
                _("Er is geen themadossier %(slug)s.") % {"slug": self.kwargs["slug"]}
            ) from exc

    @extend_schema(
        operation_id="listThemeDossiers",
        summary=gettext_lazy("Themadossiers"),
        description=with_readers(
            gettext_lazy(
                "De dossiers van de thema's (Wonen, Mobiliteit, Jeugdzorg, ...) in de volgorde van"
                " de lijst: het huidige standpunt van het netwerk, doelen, zoektermen, de gevolgde"
                " commissies en de nummers van de gekoppelde moties."
            )
        ),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getThemeDossier",
        summary=gettext_lazy("Eén themadossier"),
        description=with_readers(gettext_lazy("Het dossier van het thema met deze slug.")),
        parameters=[
            OpenApiParameter(
                "slug",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern=f"^{SLUG}$",
                description=gettext_lazy("De slug van het thema, zoals wonen."),
                examples=[OpenApiExample("wonen", value="wonen")],
            )
        ],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["kamerleden"])
class MemberViewSet(_RecordViewSet):
    """The Kamerleden of the Tweede Kamer's open data."""

    model = MemberOfParliament
    missing = gettext_lazy("Er is geen Kamerlid %(id)s.")
    serializer_class = MemberSerializer
    filter_serializer_class = MemberFilterSerializer

    def records(self, **filters):
        return selectors.member_list(user=self.request.user, **filters)

    @extend_schema(
        operation_id="listMembersOfParliament",
        summary=gettext_lazy("Kamerleden"),
        description=with_readers(
            gettext_lazy(
                "Huidige en recente Kamerleden uit de open data van de Tweede Kamer: naam, functie,"
                " fractie, woonplaats en de gemeente daarvan, en hun zetels in commissies. Geen"
                " andere persoonsgegevens."
            )
        ),
        parameters=[MemberFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getMemberOfParliament",
        summary=gettext_lazy("Eén Kamerlid"),
        description=READERS,
        parameters=[id_parameter(gettext_lazy("Het nummer van het Kamerlid."))],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["fracties"])
class FractieViewSet(_RecordViewSet):
    """The fracties of the Tweede Kamer, active and inactive."""

    model = Fractie
    missing = gettext_lazy("Er is geen fractie %(id)s.")
    serializer_class = FractieSerializer

    def records(self, **filters):
        return selectors.fractie_list(user=self.request.user)

    @extend_schema(
        operation_id="listFracties",
        summary=gettext_lazy("Fracties"),
        description=with_readers(
            gettext_lazy("De fracties van de Tweede Kamer, actieve en vroegere, met hun zetels.")
        ),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getFractie",
        summary=gettext_lazy("Eén fractie"),
        description=READERS,
        parameters=[id_parameter(gettext_lazy("Het nummer van de fractie."))],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["moties"])
class MotionViewSet(_RecordViewSet):
    """Motions of the Tweede Kamer and of the VNG in one list."""

    model = Motion
    missing = gettext_lazy("Er is geen motie %(id)s.")
    serializer_class = MotionSerializer
    filter_serializer_class = MotionFilterSerializer

    def records(self, **filters):
        return selectors.motion_list(user=self.request.user, **filters)

    @extend_schema(
        operation_id="listMotions",
        summary=gettext_lazy("Moties"),
        description=with_readers(
            gettext_lazy(
                "Moties van de Tweede Kamer (uit haar open data) en moties en resoluties van de"
                " algemene ledenvergadering van de VNG, nieuwste eerst: indieners, besluiten met de"
                " stemverhouding, mede-indienende organisaties, uitkomst en thema's."
            )
        ),
        parameters=[MotionFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getMotion",
        summary=gettext_lazy("Eén motie"),
        description=READERS,
        parameters=[id_parameter(gettext_lazy("Het nummer van de motie."))],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["stemmingen"])
class VoteViewSet(_RecordViewSet):
    """The votes on the Tweede Kamer's decisions, per fractie and in roll calls per member."""

    model = Vote
    missing = gettext_lazy("Er is geen stem %(id)s.")
    serializer_class = VoteSerializer
    filter_serializer_class = VoteFilterSerializer
    # The list's count of all votes is kept per version of the synced data, not taken again
    # on every request (see m50.api.pagination).
    figures = staticmethod(selectors.figures)

    def records(self, **filters):
        return selectors.vote_list(user=self.request.user, **filters)

    @extend_schema(
        operation_id="listVotes",
        summary=gettext_lazy("Stemmingen"),
        description=with_readers(
            gettext_lazy(
                "De stemmen over besluiten van de Tweede Kamer: per fractie, en bij een hoofdelijke"
                " stemming per Kamerlid (met de vergissingen)."
            )
        ),
        parameters=[VoteFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getVote",
        summary=gettext_lazy("Eén stem"),
        description=READERS,
        parameters=[id_parameter(gettext_lazy("Het nummer van de stem."))],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


CREATE_EXAMPLE = OpenApiExample(
    "werkbezoek",
    summary=gettext_lazy("Een werkbezoek in Diemen met een Kamerlid"),
    request_only=True,
    value={
        "kind": "werkbezoek",
        "date": "2026-12-02",
        "subject": "Werkbezoek woningbouw",
        "municipality": "GM0384",
        "memberIds": [1],
        "themes": ["wonen"],
        "outcome": "Het Kamerlid stelt vragen over de bouwleges.",
    },
)


@extend_schema(tags=["contactmomenten"])
class InteractionViewSet(mixins.CreateModelMixin, _RecordViewSet):
    """The network's contacts; the confidential note only for public affairs and the bureau,
    who also record them."""

    model = Interaction
    action_permission_rules = {"create": WRITE_RULE}
    missing = gettext_lazy("Er is geen contactmoment %(id)s.")
    filter_serializer_class = InteractionFilterSerializer

    @cached_property
    def sees_confidential(self) -> bool:
        return selectors.note_visible(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sees_confidential": self.sees_confidential}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return InteractionDetailSerializer
        return InteractionSerializer

    def records(self, **filters):
        return selectors.interaction_list(user=self.request.user, **filters)

    def record(self, pk: int):
        return selectors.interaction_detail(user=self.request.user, pk=pk)

    @extend_schema(
        operation_id="listInteractions",
        summary=gettext_lazy("Contactmomenten"),
        description=with_readers(
            gettext_lazy(
                "Gesprekken, werkbezoeken, inbreng, overleggen en MIRT-tafels, nieuwste eerst, met"
                " de mensen aan beide kanten, thema's en uitkomst. De vertrouwelijke notitie alleen"
                " voor public affairs en het bureau; voor anderen is die null."
            )
        ),
        parameters=[InteractionFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="createInteraction",
        summary=gettext_lazy("Een contactmoment vastleggen"),
        description=gettext_lazy(
            "Legt een contactmoment vast, na dezelfde regels als het formulier: een werkbezoek"
            " heeft een gemeente, een onderwerp is verplicht, alleen thema's die in gebruik"
            " zijn. Mag: public affairs en het bureau; anderen krijgen 403. Een geweigerd"
            " contactmoment geeft 400 met de reden; er wordt dan niets vastgelegd."
        ),
        request=InteractionCreateSerializer,
        responses={201: InteractionDetailSerializer},
        parameters=[location_parameter(gettext_lazy("De URL van het nieuwe contactmoment."))],
        examples=[CREATE_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        serializer = InteractionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            interaction = records.interaction_create(
                actor=request.user, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise service_error(exc, INTERACTION_FIELDS) from exc
        data = InteractionDetailSerializer(
            self.record(interaction.pk), context=self.get_serializer_context()
        ).data
        return created(request, data, "api:interaction-detail", interaction.pk)

    @extend_schema(
        operation_id="getInteraction",
        summary=gettext_lazy("Eén contactmoment met zijn vervolgacties"),
        description=READERS,
        parameters=[id_parameter(gettext_lazy("Het nummer van het contactmoment."))],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

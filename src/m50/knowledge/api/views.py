"""/api/v1/kennisitems: the library's items the caller may see, their files, and their writes
through the same services and rules as the pages."""

from __future__ import annotations

import hashlib
import json
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, Q
from django.http import FileResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from m50.api.problems import PreconditionFailed, PreconditionRequired
from m50.api.schema import etag_header_parameter, if_match_parameter
from m50.api.viewsets import ApiViewSet
from m50.core.search import query
from m50.knowledge import rules, selectors, services
from m50.knowledge.api.serializers import (
    ITEM_FIELDS,
    ORIGIN,
    KnowledgeChangeSerializer,
    KnowledgeCreateSerializer,
    KnowledgeFileSerializer,
    KnowledgeFilterSerializer,
    KnowledgeItemDetailSerializer,
    KnowledgeItemSerializer,
    KnowledgeRejectionSerializer,
    KnowledgeStepSerializer,
    KnowledgeWithdrawalSerializer,
)
from m50.knowledge.models import KnowledgeDocument, KnowledgeItem, Status
from m50.pillars.api.common import (
    created,
    id_from_path,
    id_parameter,
    location_parameter,
    service_error,
)

# The API answers everyone; what each caller sees is scoped by rules.visible_q.
VIEW_RULE = "knowledge.view_api"
# Make, change, withdraw: any logged-in role may try; the object check decides (403 if not).
WRITE_RULE = "knowledge.manage_own"
MAX_VERSION = 2**31 - 1
DOWNLOAD_TYPES = sorted(services.DOCUMENT_TYPES)


class DownloadRenderer(BaseRenderer):
    """Lets a download be asked for with any ``Accept`` (a client asks for the file's own
    type); whatever else the action answers (a problem) is JSON, with its own content type."""

    media_type = "*/*"
    # Its problems are JSON: no ?format= of its own beside the JSON renderer's.
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return json.dumps(data, ensure_ascii=False).encode()


class VersionSerializer(serializers.Serializer):
    versie = serializers.IntegerField(
        source="version",
        min_value=1,
        max_value=MAX_VERSION,
        required=False,
        help_text=gettext_lazy("Een oudere versie van het bestand; zonder: de huidige."),
    )


def current_documents() -> Prefetch:
    """The current (highest) version of each item's file, without its text, in one query."""
    newer = KnowledgeDocument.objects.filter(item=OuterRef("item"), version__gt=OuterRef("version"))
    return Prefetch(
        "documents",
        queryset=KnowledgeDocument.objects.filter(~Exists(newer)).defer("text"),
        to_attr="current_documents",
    )


def with_page_data(queryset):
    return queryset.select_related("note_contact_person").prefetch_related(current_documents())


def search_q(text: str) -> Q:
    """The items whose text matches ``text`` as the search box reads it (Dutch stems, accents
    folded, every word, phrases, prefixes); none for a text of stop words only."""
    condition = query.matching_q(text=text, kind=selectors.SEARCH_KIND)
    return condition if condition is not None else Q(pk__in=[])


def etag_of(item: KnowledgeItem, version: int | None) -> str:
    """The version of the item as the API shows it: its changes, its status and its file."""
    state = "|".join(
        str(value)
        for value in (
            item.updated_at.isoformat(),
            item.status,
            item.status_reason,
            item.submitted_at,
            item.reviewed_at,
            item.published_at,
            item.withdrawn_at,
            version or 0,
        )
    )
    return f'"{item.pk}-{hashlib.sha256(state.encode()).hexdigest()[:16]}"'


ITEM_ID = id_parameter(gettext_lazy("Het nummer van het kennisitem."))
CREATE_EXAMPLE = OpenApiExample(
    "notitie",
    summary=gettext_lazy("Een goed voorbeeld van Diemen, voor alle gebruikers van leden"),
    request_only=True,
    value={
        "form": "notitie",
        "kind": "voorbeeld",
        "title": "Wijkteams in Diemen",
        "summary": "Eén wijkteam per wijk voor jeugdzorg en WMO.",
        "municipality": "GM0384",
        "themes": ["jeugdzorg"],
        "noteWhat": "Eén wijkteam per wijk, met een vast aanspreekpunt.",
        "access": "netwerk",
    },
)
CHANGE_EXAMPLE = OpenApiExample(
    "samenvatting",
    summary=gettext_lazy("Een betere samenvatting"),
    request_only=True,
    value={"summary": "Eén wijkteam per wijk voor jeugdzorg, WMO en schuldhulp."},
)
WITHDRAW_EXAMPLE = OpenApiExample(
    "verouderd",
    summary=gettext_lazy("Ingetrokken met een reden"),
    request_only=True,
    value={"reason": "Vervangen door de handreiking van 2027."},
)


@extend_schema(tags=["kennisitems"])
class KnowledgeItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The library's items as its pages show them: each to its readers (anonymous callers the
    public ones), their files as downloads; made, changed and withdrawn by who may."""

    permission_rule = VIEW_RULE
    action_permission_rules = {
        "create": WRITE_RULE,
        "partial_update": WRITE_RULE,
        "withdraw": WRITE_RULE,
        "add_version": WRITE_RULE,
        "submit": WRITE_RULE,
        "publish": WRITE_RULE,
        "reject": WRITE_RULE,
    }
    # A bad ?versie= is a 400; a change needs the current ETag.
    action_problem_codes = {"document": (400,), "partial_update": (412, 428)}
    serializer_class = KnowledgeItemSerializer
    filter_serializer_class = KnowledgeFilterSerializer
    lookup_value_regex = "[0-9]+"

    @cached_property
    def signed_in(self) -> bool:
        return rules._signed_in(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "signed_in": self.signed_in}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return KnowledgeItem.objects.none()
        filters = self.get_filters()
        queryset = selectors.item_list(
            user=self.request.user,
            status=filters.get("status", Status.PUBLISHED),
            kind=filters.get("kind", ""),
            theme=filters.get("theme"),
            pillar=filters.get("pillar"),
            theme_group=filters.get("theme_group"),
            municipality=filters.get("municipality"),
            year=filters.get("year"),
        )
        if filters.get("search"):
            queryset = queryset.filter(search_q(filters["search"]))
        return with_page_data(queryset)

    def get_object(self) -> KnowledgeItem:
        pk = id_from_path(self.kwargs["pk"])
        item = None
        if pk is not None:
            item = (
                with_page_data(selectors.item_list(user=self.request.user, status=None))
                .filter(pk=pk)
                .first()
            )
        if item is None:
            # Who may not see it does not learn that it exists.
            raise NotFound(_("Er is geen kennisitem %(id)s.") % {"id": self.kwargs["pk"]})
        return item

    def _respond(self, item: KnowledgeItem, *, status_code: int = 200) -> Response:
        user = self.request.user
        documents = list(selectors.document_versions(item=item))
        context = {
            **self.get_serializer_context(),
            "documents": documents,
            "may_edit": self.signed_in and rules.may_edit(user, item),
            "may_withdraw": self.signed_in and rules.may_withdraw(user, item),
        }
        data = KnowledgeItemDetailSerializer(item, context=context).data
        etag = etag_of(item, documents[0].version if documents else None)
        if status_code == 201:
            response = created(self.request, data, "api:knowledge-item-detail", item.pk)
            response["ETag"] = etag
            return response
        return Response(data, headers={"ETag": etag})

    @extend_schema(
        operation_id="listKnowledgeItems",
        summary=gettext_lazy("De kennisitems die u mag zien"),
        description=gettext_lazy(
            "Voorbeelden, position papers, Kamerbrieven, verslagen, publicaties en"
            " handreikingen, de nieuwste eerst; te filteren op woorden (zoek), thema, pijler,"
            " themagroep, soort, jaar en gemeente. Zonder inloggen de openbare; ingelogd ook"
            " die voor alle gebruikers van leden, en die van uw pijlers en themagroepen."
        ),
        parameters=[KnowledgeFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getKnowledgeItem",
        summary=gettext_lazy("Eén kennisitem"),
        description=gettext_lazy(
            "Een kennisitem op nummer, met alle versies van zijn bestand en zijn ETag (voor"
            " If-Match bij een wijziging). Een kennisitem dat u niet mag zien geeft 404."
        ),
        parameters=[ITEM_ID, etag_header_parameter(response=[200])],
        responses={200: KnowledgeItemDetailSerializer},
    )
    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    @extend_schema(
        operation_id="downloadKnowledgeDocument",
        summary=gettext_lazy("Het bestand van een document"),
        description=gettext_lazy(
            "De huidige versie van het bestand, of met ?versie=N een oudere, als bijlage."
            " Dezelfde regels als het kennisitem: wie het niet mag zien krijgt 404, net als bij"
            " een kennisitem zonder bestand of een versie die er niet is."
        ),
        parameters=[
            ITEM_ID,
            VersionSerializer,
            OpenApiParameter(
                "Content-Disposition",
                str,
                OpenApiParameter.HEADER,
                response=[200],
                required=True,
                description=gettext_lazy("attachment, met de bestandsnaam."),
            ),
        ],
        responses={(200, media_type): OpenApiTypes.BINARY for media_type in DOWNLOAD_TYPES},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="document",
        url_name="document",
        renderer_classes=[JSONRenderer, DownloadRenderer],
    )
    def document(self, request, *args, **kwargs):
        query = VersionSerializer(
            data={key: value for key, value in request.query_params.items() if value != ""}
        )
        query.is_valid(raise_exception=True)
        pk = id_from_path(self.kwargs["pk"])
        try:
            if pk is None:
                raise KnowledgeDocument.DoesNotExist
            document = selectors.document_detail(
                user=request.user, item_pk=pk, version=query.validated_data.get("version")
            )
            handle = document.file.open("rb")
        except (KnowledgeDocument.DoesNotExist, FileNotFoundError) as exc:
            raise NotFound(
                _("Er is geen bestand bij kennisitem %(id)s.") % {"id": self.kwargs["pk"]}
            ) from exc
        # The type found from the content when it was stored; never one a browser would render.
        content_type = document.content_type
        if content_type not in services.DOCUMENT_TYPES:
            content_type = "application/octet-stream"
        response = FileResponse(
            handle, as_attachment=True, filename=document.filename, content_type=content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response["Cache-Control"] = "private, no-store"
        return response

    def _fresh(self, pk: int) -> KnowledgeItem:
        return with_page_data(selectors.item_list(user=self.request.user, status=None)).get(pk=pk)

    def _check_if_match(self, current: str) -> None:
        """The version ``If-Match`` names must be the current one; else 428 or 412."""
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            raise PreconditionRequired
        tags = [tag.strip() for tag in re.split(r",(?=\s*(?:W/)?\")", header)]
        if current not in tags:
            raise PreconditionFailed

    @extend_schema(
        operation_id="createKnowledgeItem",
        summary=gettext_lazy("Een kennisitem toevoegen"),
        description=gettext_lazy(
            "Voegt een link of notitie toe als concept, na dezelfde regels als het formulier"
            " (een document komt met zijn bestand via het formulier). Mag: het bureau; de"
            " voorzitter van de pijler of themagroep (pillar, themeGroup) waar het bij hoort; een"
            " deelnemer of contactpersoon een voorbeeld van de eigen gemeente (municipality), dat"
            " hij daarna indient. Anderen krijgen 403. Een geweigerd kennisitem geeft 400 met de"
            " reden; er wordt dan niets vastgelegd."
        ),
        request=KnowledgeCreateSerializer,
        responses={201: KnowledgeItemDetailSerializer},
        parameters=[
            location_parameter(gettext_lazy("De URL van het nieuwe kennisitem.")),
            etag_header_parameter(response=[201]),
        ],
        examples=[CREATE_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        serializer = KnowledgeCreateSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        values = serializer.service_arguments()
        municipality = values.get("municipality")
        if not rules.may_create(
            request.user,
            body=values["body"],
            kind=values["kind"],
            municipality_id=municipality.pk if municipality else None,
        ):
            raise PermissionDenied(
                _(
                    "U mag dit kennisitem niet toevoegen: dat doen het bureau, de voorzitter van"
                    " de pijler of themagroep, en een deelnemer een voorbeeld van de eigen"
                    " gemeente."
                )
            )
        try:
            item = services.item_create(actor=request.user, origin=ORIGIN, **values)
        except DjangoValidationError as exc:
            raise service_error(exc, ITEM_FIELDS) from exc
        return self._respond(self._fresh(item.pk), status_code=201)

    @extend_schema(
        operation_id="updateKnowledgeItem",
        summary=gettext_lazy("Een kennisitem wijzigen"),
        description=gettext_lazy(
            "Wijzigt de gegeven velden, na dezelfde regels als het formulier. Vereist If-Match"
            " met de ETag van de gelezen versie: zonder 428, verouderd 412. Mag: het bureau en de"
            " voorzitter van de pijler of themagroep; wie het schreef zolang het niet"
            " gepubliceerd is. Anderen krijgen 403. Het antwoord heeft de nieuwe ETag."
        ),
        request=KnowledgeChangeSerializer,
        responses={200: KnowledgeItemDetailSerializer},
        parameters=[ITEM_ID, if_match_parameter(), etag_header_parameter(response=[200])],
        examples=[CHANGE_EXAMPLE],
    )
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        if not rules.may_edit(request.user, item):
            raise PermissionDenied(_("U mag dit kennisitem niet wijzigen."))
        with transaction.atomic():
            # Locked, so that no change slips in between the check of If-Match and the write.
            locked = KnowledgeItem.objects.select_for_update().get(pk=item.pk)
            latest = locked.documents.aggregate(latest=Max("version"))["latest"]
            self._check_if_match(etag_of(locked, latest))
            serializer = KnowledgeChangeSerializer(
                data=request.data, context={"user": request.user, "item": locked}
            )
            serializer.is_valid(raise_exception=True)
            values = serializer.service_arguments()
            themes = values.pop("themes", None)
            try:
                services.item_update(
                    actor=request.user, item=locked, themes=themes, origin=ORIGIN, **values
                )
            except DjangoValidationError as exc:
                raise service_error(exc, ITEM_FIELDS) from exc
        return self._respond(self._fresh(item.pk))

    @extend_schema(
        operation_id="withdrawKnowledgeItem",
        summary=gettext_lazy("Een kennisitem intrekken"),
        description=gettext_lazy(
            "Trekt het kennisitem in met een reden: het blijft bestaan (met zijn bestanden) maar"
            " is niet meer gepubliceerd. Mag: het bureau en de voorzitter van de pijler of"
            " themagroep; wie het schreef zolang het niet gepubliceerd is. Anderen, en bij een"
            " kennisitem dat al is ingetrokken, 403."
        ),
        request=KnowledgeWithdrawalSerializer,
        responses={200: KnowledgeItemDetailSerializer},
        parameters=[ITEM_ID, etag_header_parameter(response=[200])],
        examples=[WITHDRAW_EXAMPLE],
    )
    @action(detail=True, methods=["post"], url_path="intrekking", url_name="withdraw")
    def withdraw(self, request, *args, **kwargs):
        item = self.get_object()
        if not rules.may_withdraw(request.user, item):
            raise PermissionDenied(_("U mag dit kennisitem niet intrekken."))
        serializer = KnowledgeWithdrawalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.item_withdraw(
                actor=request.user,
                item=item,
                reason=serializer.validated_data["reason"],
                origin=ORIGIN,
            )
        except DjangoValidationError as exc:
            raise service_error(exc, ITEM_FIELDS) from exc
        return self._respond(self._fresh(item.pk))

    @extend_schema(
        operation_id="addKnowledgeDocumentVersion",
        summary=gettext_lazy("Een nieuwe versie van het bestand toevoegen"),
        description=gettext_lazy(
            "Voegt aan een document een nieuwe versie van zijn bestand toe (multipart/form-data,"
            " veld file); de oudere versies blijven te downloaden. Het bestand wordt aan de"
            " inhoud gecontroleerd (PDF, DOCX of ODT, niet te groot); een bestand waarvan de"
            " tekst niet te lezen is, wordt bewaard met de melding dat het niet doorzoekbaar"
            " is. Mag: wie het kennisitem mag wijzigen; anderen krijgen 403. Een geweigerd"
            " bestand geeft 400 met de reden; er wordt dan niets bewaard."
        ),
        request={"multipart/form-data": KnowledgeFileSerializer},
        responses={201: KnowledgeItemDetailSerializer},
        parameters=[
            ITEM_ID,
            location_parameter(gettext_lazy("De URL van het bestand in deze versie.")),
            etag_header_parameter(response=[201]),
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="documenten",
        url_name="documents",
        parser_classes=[MultiPartParser],
    )
    def add_version(self, request, *args, **kwargs):
        item = self.get_object()
        if not rules.may_add_version(request.user, item):
            raise PermissionDenied(
                _(
                    "U mag geen nieuwe versie toevoegen: alleen een document heeft een bestand,"
                    " en alleen wie het mag wijzigen voegt er een versie aan toe."
                )
            )
        serializer = KnowledgeFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            document = services.document_version_add(
                actor=request.user,
                item=item,
                uploaded_file=serializer.validated_data["file"],
                origin=ORIGIN,
            )
        except DjangoValidationError as exc:
            raise service_error(exc, ITEM_FIELDS) from exc
        response = self._respond(self._fresh(item.pk))
        response.status_code = 201
        response["Location"] = request.build_absolute_uri(
            reverse("api:knowledge-item-document", kwargs={"pk": item.pk})
            + f"?versie={document.version}"
        )
        return response

    def _step(self, *, allowed, refusal: str, service, serializer_class, **arguments) -> Response:
        """One step of the submission flow: checked by the rules (403), then the service."""
        item = self.get_object()
        if not allowed(self.request.user, item):
            raise PermissionDenied(refusal)
        serializer = serializer_class(data=self.request.data or {})
        serializer.is_valid(raise_exception=True)
        try:
            service(
                actor=self.request.user,
                item=item,
                origin=ORIGIN,
                **arguments,
                **serializer.validated_data,
            )
        except DjangoValidationError as exc:
            raise service_error(exc, ITEM_FIELDS) from exc
        return self._respond(self._fresh(item.pk))

    @extend_schema(
        operation_id="submitKnowledgeItem",
        summary=gettext_lazy("Een voorbeeld indienen"),
        description=gettext_lazy(
            "Wie een voorbeeld van de eigen gemeente schreef, dient het in (opnieuw, na een"
            " afwijzing); het wordt gepubliceerd als het bureau of de voorzitter van de pijler of"
            " themagroep het aanvaardt. Anderen, en bij een kennisitem dat niet (meer) in te"
            " dienen is, 403."
        ),
        request=KnowledgeStepSerializer,
        responses={200: KnowledgeItemDetailSerializer},
        parameters=[ITEM_ID, etag_header_parameter(response=[200])],
    )
    @action(detail=True, methods=["post"], url_path="indiening", url_name="submit")
    def submit(self, request, *args, **kwargs):
        return self._step(
            allowed=rules.may_submit,
            refusal=_("U kunt dit kennisitem niet indienen."),
            service=services.item_submit,
            serializer_class=KnowledgeStepSerializer,
        )

    @extend_schema(
        operation_id="publishKnowledgeItem",
        summary=gettext_lazy("Een kennisitem publiceren"),
        description=gettext_lazy(
            "Publiceert een inzending (aanvaard) of een eigen concept. Mag: het bureau en de"
            " voorzitter van de pijler of themagroep; anderen, en bij een kennisitem dat niet te"
            " publiceren is, 403. Een document zonder bestand geeft 400."
        ),
        request=KnowledgeStepSerializer,
        responses={200: KnowledgeItemDetailSerializer},
        parameters=[ITEM_ID, etag_header_parameter(response=[200])],
    )
    @action(detail=True, methods=["post"], url_path="publicatie", url_name="publish")
    def publish(self, request, *args, **kwargs):
        return self._step(
            allowed=rules.may_accept,
            refusal=_("U mag dit kennisitem niet publiceren."),
            service=services.item_accept,
            serializer_class=KnowledgeStepSerializer,
        )

    @extend_schema(
        operation_id="rejectKnowledgeItem",
        summary=gettext_lazy("Een inzending afwijzen"),
        description=gettext_lazy(
            "Wijst een ingediend voorbeeld af met een reden; wie het indiende kan het verbeteren"
            " en opnieuw indienen. Mag: het bureau en de voorzitter van de pijler of themagroep;"
            " anderen, en bij een kennisitem dat niet is ingediend, 403."
        ),
        request=KnowledgeRejectionSerializer,
        responses={200: KnowledgeItemDetailSerializer},
        parameters=[ITEM_ID, etag_header_parameter(response=[200])],
    )
    @action(detail=True, methods=["post"], url_path="afwijzing", url_name="reject")
    def reject(self, request, *args, **kwargs):
        return self._step(
            allowed=rules.may_reject,
            refusal=_("U kunt dit kennisitem niet afwijzen."),
            service=services.item_reject,
            serializer_class=KnowledgeRejectionSerializer,
        )

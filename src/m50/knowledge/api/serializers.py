"""The serializers of /api/v1/kennisitems: query parameters, responses and request bodies."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from m50.api.fields import BlankAsNullCharField, LinkField, MappedChoiceField
from m50.api.serializers import StrictSerializer
from m50.contacts import selectors as contacts
from m50.core.models import Theme
from m50.knowledge import rules
from m50.knowledge.models import Access, Form, Kind, Status
from m50.membership.api import MunicipalityCodeField
from m50.municipalities import selectors as registry
from m50.municipalities.api import MunicipalityReferenceSerializer
from m50.pillars.api.common import (
    SLUG,
    BodyReferenceSerializer,
    PillarDateField,
    PillarSlugField,
    ThemeGroupSlugField,
)

ORIGIN = "API"
# Public (Dutch) values: the models' own values are Dutch already.
FORM_VALUES = {value: value for value in Form.values}
KIND_VALUES = {value: value for value in Kind.values}
ACCESS_VALUES = {value: value for value in Access.values}
STATUS_VALUES = {value: value for value in Status.values}
EARLIEST_YEAR, LATEST_YEAR = 1900, 2099
MAX_THEMES = 20
MAX_SEARCH = 200

# Model and service field names as the API names them, for a service's refusal.
ITEM_FIELDS = {
    "form": "form",
    "kind": "kind",
    "title": "title",
    "summary": "summary",
    "date": "date",
    "municipality": "municipality",
    "themes": "themes",
    "body": "pillar",
    "topic": "topicId",
    "activity": "activityId",
    "note_contact_person": "noteContactPersonId",
    "link_url": "linkUrl",
    "link_publisher": "linkPublisher",
    "link_published_on": "linkPublishedOn",
    "note_what": "noteWhat",
    "note_cost": "noteCost",
    "note_contact_text": "noteContact",
    "access": "access",
    "reason": "reason",
    "file": "file",
}


class ThemeSlugField(serializers.RegexField):
    """The slug of a theme of the shared list, given back as the theme itself."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        super().__init__(f"^{SLUG}$", **kwargs)

    def run_validation(self, data=serializers.empty):
        slug = super().run_validation(data)
        if slug is None:
            return None
        theme = Theme.objects.filter(slug=slug).first()
        if theme is None:
            raise serializers.ValidationError(
                _("Er is geen thema %(slug)s.") % {"slug": slug}, code="unknown"
            )
        return theme


def _municipality(code):
    if code is None:
        return None
    municipality = registry.municipality_queryset().filter(code=code).first()
    if municipality is None:
        raise serializers.ValidationError(
            _("Onbekende gemeente %(code)s.") % {"code": code}, code="unknown"
        )
    return municipality


# --- Query parameters -------------------------------------------------------------------------


class KnowledgeFilterSerializer(serializers.Serializer):
    """The query parameters of the list; sources are the selector's arguments."""

    zoek = serializers.CharField(
        source="search",
        max_length=MAX_SEARCH,
        required=False,
        help_text=gettext_lazy(
            "Alleen kennisitems met al deze woorden in de titel, samenvatting, notitie of tekst"
            " van het bestand, zoals het zoekvak ze leest: woordstam (gemeente vindt gemeenten),"
            ' zonder accenten, "een zin tussen aanhalingstekens", woningb* voor het begin van'
            " een woord."
        ),
    )
    thema = ThemeSlugField(
        source="theme",
        required=False,
        help_text=gettext_lazy("Alleen kennisitems met dit thema (slug, zoals wonen)."),
    )
    pijler = PillarSlugField(
        source="pillar",
        required=False,
        help_text=gettext_lazy(
            "Alleen kennisitems van de pijler met deze slug (ook die van zijn themagroepen)."
        ),
    )
    themagroep = ThemeGroupSlugField(
        source="theme_group",
        required=False,
        help_text=gettext_lazy("Alleen kennisitems van de themagroep met deze slug."),
    )
    soort = MappedChoiceField(
        KIND_VALUES, source="kind", required=False, help_text=gettext_lazy("Alleen deze soort.")
    )
    jaar = serializers.IntegerField(
        source="year",
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        required=False,
        help_text=gettext_lazy("Alleen kennisitems met een datum in dit jaar."),
    )
    gemeente = MunicipalityCodeField(
        source="municipality",
        required=False,
        help_text=gettext_lazy("Alleen kennisitems van deze gemeente (CBS-code)."),
    )
    status = MappedChoiceField(
        STATUS_VALUES,
        required=False,
        help_text=gettext_lazy(
            "Alleen kennisitems met deze status; zonder: de gepubliceerde. Andere dan"
            " gepubliceerde ziet alleen wie ze beheert of ze schreef."
        ),
    )

    def validate_gemeente(self, code: str):
        return _municipality(code)


# --- Responses --------------------------------------------------------------------------------


class ReferenceSerializer(serializers.Serializer):
    """Een onderwerp waaruit het kennisitem voortkwam."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer."))
    title = serializers.CharField(help_text=gettext_lazy("Titel."))


class OrganisationReferenceSerializer(serializers.Serializer):
    """De organisatie waarvan het kennisitem komt."""

    slug = serializers.SlugField(help_text=gettext_lazy("Vaste sleutel in de URL."))
    name = serializers.CharField(help_text=gettext_lazy("Naam."))


class LinkSerializer(serializers.Serializer):
    """Een publicatie elders."""

    url = serializers.CharField(source="link_url", help_text=gettext_lazy("Het adres."))
    publisher = BlankAsNullCharField(
        source="link_publisher", help_text=gettext_lazy("De uitgever; null als onbekend.")
    )
    publishedOn = serializers.DateField(
        source="link_published_on",
        allow_null=True,
        help_text=gettext_lazy("Verschenen op; null als onbekend."),
    )


class NoteSerializer(serializers.Serializer):
    """Een goed voorbeeld in eigen woorden."""

    what = serializers.CharField(
        source="note_what", help_text=gettext_lazy("Wat de gemeente heeft gedaan.")
    )
    cost = BlankAsNullCharField(
        source="note_cost", help_text=gettext_lazy("Wat het kostte; null als niet vermeld.")
    )
    contact = serializers.SerializerMethodField(
        help_text=gettext_lazy("Wie je belt; null als niet vermeld, en voor wie niet is ingelogd.")
    )
    contactPersonId = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Het nummer van de contactpersoon in het relatieregister (zie /organisaties); null"
            " als die er niet is, en voor wie niet is ingelogd."
        )
    )

    def get_contactPersonId(self, item) -> int | None:  # noqa: N802 (the public name)
        if not self.context.get("signed_in"):
            return None
        return item.note_contact_person_id

    def get_contact(self, item) -> str | None:
        if not self.context.get("signed_in"):
            return None
        parts = [str(item.note_contact_person)] if item.note_contact_person_id else []
        if item.note_contact_text:
            parts.append(item.note_contact_text)
        return ", ".join(parts) or None


class DocumentSerializer(serializers.Serializer):
    """Een versie van het bestand van een document."""

    version = serializers.IntegerField(help_text=gettext_lazy("Versienummer, vanaf 1."))
    filename = serializers.CharField(help_text=gettext_lazy("Bestandsnaam."))
    contentType = serializers.CharField(
        source="content_type", help_text=gettext_lazy("Soort bestand (mediatype).")
    )
    size = serializers.IntegerField(help_text=gettext_lazy("Grootte in bytes."))
    sha256 = serializers.CharField(help_text=gettext_lazy("SHA-256 van de inhoud (hex)."))
    searchable = serializers.BooleanField(
        help_text=gettext_lazy("De tekst van het bestand is gelezen en doorzoekbaar.")
    )
    notice = BlankAsNullCharField(
        help_text=gettext_lazy("Waarom de tekst niet doorzoekbaar is; anders null.")
    )
    uploadedAt = serializers.DateTimeField(
        source="uploaded_at", help_text=gettext_lazy("Toegevoegd op.")
    )


def _current_document(item):
    documents = getattr(item, "current_documents", None)
    if documents is None:
        documents = list(item.documents.defer("text").order_by("-version")[:1])
    return documents[0] if documents else None


class KnowledgeItemSerializer(serializers.Serializer):
    """Een kennisitem van de bibliotheek: een document, een link of een notitie, met zijn
    thema's, de pijler of themagroep waar het bij hoort en wie het mag lezen."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van het kennisitem."))
    form = MappedChoiceField(
        FORM_VALUES,
        enum_name="KnowledgeForm",
        help_text=gettext_lazy("document, link of notitie."),
    )
    kind = MappedChoiceField(KIND_VALUES, enum_name="KnowledgeKind")
    title = serializers.CharField(help_text=gettext_lazy("Titel."))
    summary = BlankAsNullCharField(help_text=gettext_lazy("Samenvatting; null als er geen is."))
    date = serializers.DateField(help_text=gettext_lazy("Datum."))
    themes = serializers.SerializerMethodField(
        help_text=gettext_lazy("De thema's (slugs), in de volgorde van de lijst.")
    )
    pillar = BodyReferenceSerializer(
        allow_null=True,
        help_text=gettext_lazy("De pijler waar het bij hoort; null als die er niet is."),
    )
    themeGroup = BodyReferenceSerializer(
        source="theme_group",
        allow_null=True,
        help_text=gettext_lazy(
            "De themagroep waar het bij hoort; null als die er niet is. Beide null: van het bureau."
        ),
    )
    municipality = MunicipalityReferenceSerializer(
        allow_null=True,
        help_text=gettext_lazy("De gemeente van het voorbeeld; null als die er niet is."),
    )
    sourceOrganisation = serializers.SerializerMethodField(
        help_text=gettext_lazy("De bron; null als die er niet is, en voor wie niet is ingelogd.")
    )
    topic = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Het onderwerp waaruit het voortkwam; null als dat er niet is, en voor wie niet is"
            " ingelogd."
        )
    )
    activityId = serializers.IntegerField(
        source="activity_id",
        allow_null=True,
        help_text=gettext_lazy(
            "Het nummer van de activiteit waaruit het voortkwam (zie /activiteiten); null als"
            " die er niet is."
        ),
    )
    access = MappedChoiceField(
        ACCESS_VALUES,
        enum_name="KnowledgeAccess",
        help_text=gettext_lazy("Wie het mag lezen."),
    )
    status = MappedChoiceField(STATUS_VALUES, enum_name="KnowledgeStatus")
    statusReason = BlankAsNullCharField(
        source="status_reason",
        help_text=gettext_lazy("Waarom afgewezen of ingetrokken; anders null."),
    )
    publishedAt = serializers.DateTimeField(
        source="published_at",
        allow_null=True,
        help_text=gettext_lazy("Gepubliceerd op; null zolang het niet gepubliceerd is."),
    )
    withdrawnAt = serializers.DateTimeField(
        source="withdrawn_at",
        allow_null=True,
        help_text=gettext_lazy("Ingetrokken op; null zolang het niet ingetrokken is."),
    )
    link = serializers.SerializerMethodField(
        help_text=gettext_lazy("Bij een link: het adres en de uitgever; anders null.")
    )
    note = serializers.SerializerMethodField(
        help_text=gettext_lazy("Bij een notitie: wat, wat het kostte, wie je belt; anders null.")
    )
    document = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Bij een document: de huidige versie van het bestand (te downloaden op"
            " /kennisitems/{id}/document); anders null."
        )
    )

    def get_themes(self, item) -> list[str]:
        return [theme.slug for theme in item.themes.all()]

    @extend_schema_field(OrganisationReferenceSerializer(allow_null=True))
    def get_sourceOrganisation(self, item) -> dict | None:  # noqa: N802 (the public name)
        organisation = item.source_organisation
        if organisation is None or not self.context.get("signed_in"):
            return None
        return {"slug": organisation.slug, "name": organisation.name}

    @extend_schema_field(ReferenceSerializer(allow_null=True))
    def get_topic(self, item) -> dict | None:
        if item.topic is None or not self.context.get("signed_in"):
            return None
        return {"id": item.topic.pk, "title": item.topic.title}

    @extend_schema_field(LinkSerializer(allow_null=True))
    def get_link(self, item) -> dict | None:
        if item.form != Form.LINK:
            return None
        return LinkSerializer(item).data

    @extend_schema_field(NoteSerializer(allow_null=True))
    def get_note(self, item) -> dict | None:
        if item.form != Form.NOTE:
            return None
        return NoteSerializer(item, context=self.context).data

    @extend_schema_field(DocumentSerializer(allow_null=True))
    def get_document(self, item) -> dict | None:
        if item.form != Form.DOCUMENT:
            return None
        current = _current_document(item)
        return DocumentSerializer(current).data if current is not None else None


class KnowledgeItemDetailSerializer(KnowledgeItemSerializer):
    """Een kennisitem met alle versies van zijn bestand en wat u ermee mag."""

    documents = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Bij een document: alle versies, de huidige eerst (een oudere te downloaden met"
            " ?versie=N); anders een lege lijst."
        )
    )
    mayEdit = serializers.SerializerMethodField(
        help_text=gettext_lazy("U mag dit kennisitem wijzigen.")
    )
    mayWithdraw = serializers.SerializerMethodField(
        help_text=gettext_lazy("U mag dit kennisitem intrekken.")
    )

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, item) -> list[dict]:
        return DocumentSerializer(self.context.get("documents", []), many=True).data

    def get_mayEdit(self, item) -> bool:  # noqa: N802 (the public name)
        return bool(self.context.get("may_edit"))

    def get_mayWithdraw(self, item) -> bool:  # noqa: N802 (the public name)
        return bool(self.context.get("may_withdraw"))


# --- Request bodies ---------------------------------------------------------------------------


class KnowledgeChangeSerializer(StrictSerializer):
    """Wat er aan een kennisitem verandert; wat ontbreekt, blijft zoals het is."""

    kind = MappedChoiceField(KIND_VALUES, enum_name="KnowledgeKind", required=False)
    title = serializers.CharField(max_length=200, required=False, help_text=gettext_lazy("Titel."))
    summary = serializers.CharField(
        max_length=10_000,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Samenvatting."),
    )
    date = PillarDateField(required=False, help_text=gettext_lazy("Datum."))
    municipality = MunicipalityCodeField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("CBS-code van de gemeente van het voorbeeld; null: geen."),
    )
    themes = serializers.ListField(
        child=ThemeSlugField(),
        max_length=MAX_THEMES,
        required=False,
        help_text=gettext_lazy("De thema's (slugs, zoals wonen)."),
    )
    access = MappedChoiceField(
        ACCESS_VALUES,
        enum_name="KnowledgeAccess",
        required=False,
        help_text=gettext_lazy(
            "Wie het mag lezen; bij 'pijler-of-groep' de deelnemers van de pijler of"
            " themagroep waar het bij hoort."
        ),
    )
    linkUrl = LinkField(
        source="link_url",
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Bij een link: het adres van de publicatie."),
    )
    linkPublisher = serializers.CharField(
        source="link_publisher",
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Bij een link: de uitgever."),
    )
    linkPublishedOn = PillarDateField(
        source="link_published_on",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Bij een link: verschenen op."),
    )
    noteWhat = serializers.CharField(
        source="note_what",
        max_length=10_000,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Bij een notitie: wat de gemeente heeft gedaan."),
    )
    noteCost = serializers.CharField(
        source="note_cost",
        max_length=10_000,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Bij een notitie: wat het kostte."),
    )
    noteContact = serializers.CharField(
        source="note_contact_text",
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Bij een notitie: wie je belt."),
    )
    noteContactPersonId = serializers.IntegerField(
        source="note_contact_person",
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Bij een notitie: het nummer van de persoon die je belt, uit het relatieregister"
            " (iemand met een lopende functie; een deelnemer kiest iemand van de eigen gemeente"
            " of van de M50); null: geen."
        ),
    )
    activityId = serializers.IntegerField(
        source="activity",
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Het nummer van de activiteit waaruit het voortkwam, een die u kunt zien (zie"
            " /activiteiten); null: geen."
        ),
    )

    def validate_municipality(self, code):
        return _municipality(code)

    def _current(self, name: str, pk: int):
        """What the item being changed names already (it may stay, also unseen)."""
        item = self.context.get("item")
        if item is not None and getattr(item, f"{name}_id") == pk:
            return getattr(item, name)
        return None

    def validate_activityId(self, pk):  # noqa: N802 (the public name)
        if pk is None:
            return None
        activity = self._current("activity", pk)
        if activity is None:
            activity = rules.activity_choices(self.context.get("user")).filter(pk=pk).first()
        if activity is None:
            # The same answer whether it does not exist or may not be seen.
            raise serializers.ValidationError(
                _("Kies een activiteit uit de activiteiten die u kunt zien."), code="unknown"
            )
        return activity

    def validate_noteContactPersonId(self, pk):  # noqa: N802 (the public name)
        if pk is None:
            return None
        person = self._current("note_contact_person", pk)
        if person is None:
            found = contacts.people_by_pk(pks=[pk])
            person = found[0] if found else None
        if person is None:
            raise serializers.ValidationError(
                _("Er is geen persoon %(id)s in het relatieregister.") % {"id": pk},
                code="unknown",
            )
        return person

    def service_arguments(self) -> dict:
        values = dict(self.validated_data)
        if "themes" in values:
            values["themes"] = list(dict.fromkeys(values["themes"]))
        return values


class KnowledgeCreateSerializer(KnowledgeChangeSerializer):
    """Een nieuw kennisitem, als concept: een link of een notitie (een document komt met zijn
    bestand via het formulier). Zonder pillar en themeGroup hoort het bij het bureau."""

    form = MappedChoiceField(
        {key: value for key, value in FORM_VALUES.items() if value != Form.DOCUMENT},
        enum_name="KnowledgeWrittenForm",
        help_text=gettext_lazy("link of notitie."),
    )
    pillar = PillarSlugField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De slug van de pijler waar het bij hoort; of themeGroup."),
    )
    themeGroup = ThemeGroupSlugField(
        source="theme_group",
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De slug van de themagroep waar het bij hoort."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "title"):
            self.fields[name].required = True

    def validate(self, attrs):
        if attrs.get("pillar") and attrs.get("theme_group"):
            raise serializers.ValidationError(
                {"themeGroup": [_("Geef een pijler of een themagroep, niet allebei.")]},
                code="one_body",
            )
        return attrs

    def service_arguments(self) -> dict:
        values = super().service_arguments()
        values["body"] = values.pop("pillar", None) or values.pop("theme_group", None)
        values.pop("theme_group", None)
        return values


class KnowledgeWithdrawalSerializer(StrictSerializer):
    """Waarom het kennisitem wordt ingetrokken."""

    reason = serializers.CharField(
        max_length=2_000, help_text=gettext_lazy("De reden; blijft bij het kennisitem staan.")
    )


class KnowledgeStepSerializer(StrictSerializer):
    """Geen velden: de stap zegt genoeg (een leeg object, of geen body)."""


class KnowledgeRejectionSerializer(StrictSerializer):
    """Waarom de inzending is afgewezen."""

    reason = serializers.CharField(
        max_length=2_000,
        help_text=gettext_lazy("De reden; wie het indiende ziet hem en kan het verbeteren."),
    )


class KnowledgeFileSerializer(StrictSerializer):
    """Een nieuwe versie van het bestand (multipart/form-data)."""

    file = serializers.FileField(
        help_text=gettext_lazy(
            "Een PDF, Word-bestand (.docx) of OpenDocument-tekst (.odt); de soort wordt aan de"
            " inhoud herkend, niet aan de naam."
        )
    )

"""The network's library (issue 11): knowledge items — a document, a link or a written note —
with their themes, the pillar or theme group they belong to, who may read them, and how a
member's own example is submitted and accepted. A document's file keeps every version.

An item is never deleted: it is withdrawn with a reason (``ingetrokken``), and stays there for
whoever manages it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Form(models.TextChoices):
    DOCUMENT = "document", _("document")
    LINK = "link", _("link")
    NOTE = "notitie", _("notitie")


class Kind(models.TextChoices):
    EXAMPLE = "voorbeeld", _("voorbeeld")
    POSITION_PAPER = "position-paper", _("position paper")
    PARLIAMENT_LETTER = "kamerbrief", _("Kamerbrief of inbreng")
    MINUTES = "verslag", _("verslag")
    PUBLICATION = "publicatie", _("publicatie")
    GUIDE = "handreiking", _("handreiking")
    OTHER = "overig", _("overig")


class Access(models.TextChoices):
    """Who may read a published item (DESIGN.md §2; decisions in :mod:`m50.knowledge.rules`)."""

    PUBLIC = "openbaar", _("iedereen")
    NETWORK = "netwerk", _("alle gebruikers van leden")
    BODY = "pijler-of-groep", _("de deelnemers van één pijler of themagroep")
    BUREAU = "bureau", _("alleen het bureau")


class Status(models.TextChoices):
    DRAFT = "concept", _("concept")
    SUBMITTED = "ingediend", _("ingediend")
    PUBLISHED = "gepubliceerd", _("gepubliceerd")
    REJECTED = "afgewezen", _("afgewezen")
    WITHDRAWN = "ingetrokken", _("ingetrokken")


def _in(field: str, choices) -> Q:
    return Q(**{f"{field}__in": sorted(choices.values)})


class KnowledgeItem(models.Model):
    form = models.CharField(_("vorm"), max_length=20, choices=Form.choices)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting"), blank=True)
    date = models.DateField(_("datum"), default=timezone.localdate, db_index=True)
    source_organisation = models.ForeignKey(
        "contacts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_items",
        verbose_name=_("bron"),
    )
    # Whose example it is (a voorbeeld of a member), or the municipality it is about.
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_items",
        verbose_name=_("gemeente"),
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="knowledge_items", verbose_name=_("thema's")
    )
    # The pillar or theme group the item belongs to (at most one; neither: the bureau's). Its
    # chair manages the item, and an item for "one pillar or theme group" is read by its
    # participants.
    pillar = models.ForeignKey(
        "pillars.Pillar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_items",
        verbose_name=_("pijler"),
    )
    theme_group = models.ForeignKey(
        "pillars.ThemeGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_items",
        verbose_name=_("themagroep"),
    )
    topic = models.ForeignKey(
        "pillars.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_items",
        verbose_name=_("onderwerp"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_items",
        verbose_name=_("activiteit"),
    )
    # A link: a publication elsewhere.
    link_url = models.URLField(_("adres"), max_length=500, blank=True)
    link_publisher = models.CharField(_("uitgever"), max_length=200, blank=True)
    link_published_on = models.DateField(_("verschenen op"), null=True, blank=True)
    # A note: a member's good example in its own words.
    note_what = models.TextField(_("wat hebben ze gedaan"), blank=True)
    note_cost = models.TextField(_("wat kostte het"), blank=True)
    note_contact_person = models.ForeignKey(
        "contacts.Person",
        # A person removed (AVG) leaves the note without a contact.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_notes",
        verbose_name=_("contactpersoon"),
    )
    note_contact_text = models.CharField(_("wie bel je"), max_length=300, blank=True)
    access = models.CharField(
        _("wie mag het lezen"), max_length=20, choices=Access.choices, default=Access.NETWORK
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Why it was rejected or withdrawn.
    status_reason = models.TextField(_("reden"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    # Accepted (published) or rejected: when and by whom.
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("kennisitem")
        verbose_name_plural = _("kennisitems")
        constraints = [
            models.CheckConstraint(condition=_in("form", Form), name="knowledge_item_form_known"),
            models.CheckConstraint(condition=_in("kind", Kind), name="knowledge_item_kind_known"),
            models.CheckConstraint(
                condition=_in("access", Access), name="knowledge_item_access_known"
            ),
            models.CheckConstraint(
                condition=_in("status", Status), name="knowledge_item_status_known"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="knowledge_item_has_title"),
            models.CheckConstraint(
                condition=Q(pillar__isnull=True) | Q(theme_group__isnull=True),
                name="knowledge_item_one_body",
            ),
            models.CheckConstraint(
                condition=~Q(access="pijler-of-groep")
                | Q(pillar__isnull=False)
                | Q(theme_group__isnull=False),
                name="knowledge_item_body_access_names_body",
            ),
            models.CheckConstraint(
                condition=~Q(form="link") | ~Q(link_url=""), name="knowledge_item_link_has_url"
            ),
            models.CheckConstraint(
                condition=Q(form="link")
                | (Q(link_url="") & Q(link_publisher="") & Q(link_published_on__isnull=True)),
                name="knowledge_item_link_fields_only_on_links",
            ),
            models.CheckConstraint(
                condition=Q(form="notitie")
                | (
                    Q(note_what="")
                    & Q(note_cost="")
                    & Q(note_contact_text="")
                    & Q(note_contact_person__isnull=True)
                ),
                name="knowledge_item_note_fields_only_on_notes",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["afgewezen", "ingetrokken"]) | ~Q(status_reason=""),
                name="knowledge_item_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="ingediend") | Q(submitted_at__isnull=False),
                name="knowledge_item_submitted_has_moment",
            ),
            models.CheckConstraint(
                condition=~Q(status="gepubliceerd") | Q(published_at__isnull=False),
                name="knowledge_item_published_has_moment",
            ),
            models.CheckConstraint(
                condition=Q(status="ingetrokken", withdrawn_at__isnull=False)
                | Q(~Q(status="ingetrokken"), withdrawn_at__isnull=True),
                name="knowledge_item_withdrawn_has_moment",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "access", "date"], name="knowledge_item_shelf"),
            models.Index(fields=["pillar", "date"], name="knowledge_item_pillar"),
            models.Index(fields=["theme_group", "date"], name="knowledge_item_group"),
            models.Index(fields=["municipality", "date"], name="knowledge_item_municipality"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.pk])

    @property
    def body(self):
        """The pillar or theme group the item belongs to; None: the bureau's."""
        if self.pillar_id:
            return self.pillar
        if self.theme_group_id:
            return self.theme_group
        return None

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class TextStatus(models.TextChoices):
    EXTRACTED = "gelezen", _("tekst gelezen")
    UNREADABLE = "onleesbaar", _("tekst niet leesbaar")


class TextReason(models.TextChoices):
    """Why the text of a stored file could not be read (it is then not searchable)."""

    NONE = "", _("—")
    EMPTY = "geen-tekst", _("het bestand bevat geen leesbare tekst (bijvoorbeeld een scan)")
    ENCRYPTED = "versleuteld", _("het bestand is versleuteld")
    DAMAGED = "beschadigd", _("het bestand is beschadigd of heeft een onbekende opbouw")
    TOO_BIG = "te-groot", _("het lezen van de tekst vroeg te veel geheugen")
    TOO_SLOW = "te-traag", _("het lezen van de tekst duurde te lang")


class KnowledgeDocument(models.Model):
    """One version of an item's file. The current version is the one with the highest number;
    older versions stay stored and reachable."""

    item = models.ForeignKey(
        KnowledgeItem,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("kennisitem"),
    )
    version = models.PositiveIntegerField(_("versie"))
    # Stored under MEDIA_ROOT (outside the static root) under a random name.
    file = models.FileField(_("bestand"), upload_to="knowledge/%Y/%m/", max_length=300)
    # The name the uploader gave it (its extension that of the type found), for the download.
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The text read from the file, capped (see m50.knowledge.extraction.TEXT_MAX_CHARS).
    text = models.TextField(_("tekst"), blank=True)
    text_status = models.CharField(_("tekst"), max_length=20, choices=TextStatus.choices)
    text_reason = models.CharField(
        _("waarom niet leesbaar"), max_length=20, choices=TextReason.choices, blank=True
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegevoegd door"),
    )

    class Meta:
        ordering = ["item", "-version"]
        verbose_name = _("document van een kennisitem")
        verbose_name_plural = _("documenten van kennisitems")
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="knowledge_document_version"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="knowledge_document_version_from_one"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="knowledge_document_not_empty"),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="knowledge_document_sha256_length"
            ),
            models.CheckConstraint(
                condition=_in("text_status", TextStatus), name="knowledge_document_status_known"
            ),
            models.CheckConstraint(
                condition=Q(text_status="gelezen", text_reason="")
                | Q(~Q(text_reason=""), text_status="onleesbaar", text=""),
                name="knowledge_document_unreadable_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} (versie {self.version})"

    @property
    def searchable(self) -> bool:
        return self.text_status == TextStatus.EXTRACTED

    @property
    def notice(self) -> str:
        """The Dutch notice shown with a file whose text is not searchable ("" otherwise)."""
        if self.searchable:
            return ""
        return gettext("De tekst van dit bestand is niet doorzoekbaar: %(reason)s.") % {
            "reason": self.get_text_reason_display()
        }

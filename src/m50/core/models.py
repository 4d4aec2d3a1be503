"""The audit trail: every change to membership, money and permissions (DESIGN.md §5, BIO 8.15).

One row per action: what was done to which object, by whom, from where, with what result,
and the old and new values of the fields that changed. Secrets are never recorded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from m50.core.search.access import Access


class AuditEvent(models.Model):
    class Result(models.TextChoices):
        SUCCESS = "success", _("geslaagd")
        REFUSED = "refused", _("geweigerd")

    timestamp = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgevoerd door"),
    )
    # Who, in words, also when the actor is a command or has since been removed.
    actor_label = models.CharField(_("actor"), max_length=200)
    origin = models.CharField(_("herkomst"), max_length=200, blank=True)
    action = models.CharField(_("actie"), max_length=100, db_index=True)
    object_type = models.CharField(_("soort object"), max_length=100)
    object_id = models.CharField(_("object-id"), max_length=100)
    object_repr = models.CharField(_("object"), max_length=300)
    result = models.CharField(_("resultaat"), max_length=20, choices=Result.choices)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "timestamp"])]
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")

    def __str__(self) -> str:
        return (
            f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label}: {self.action} {self.object_repr}"
        )


class DataVersion(models.Model):
    """How often a part of the public data has changed ("registry", "members").

    Every service that changes what the public pages show adds one, in its own transaction
    (:func:`m50.core.versions.data_version_bump`): a write that is rolled back changes no
    version. The public pages' validators (ETag, Last-Modified) and their rendered cache are
    keyed on it (:mod:`m50.core.conditional`), so a cached page can never outlive its data.
    """

    name = models.CharField(_("naam"), max_length=50, primary_key=True)
    version = models.PositiveBigIntegerField(_("versie"), default=0)
    changed_at = models.DateTimeField(_("gewijzigd op"))

    class Meta:
        verbose_name = _("gegevensversie")
        verbose_name_plural = _("gegevensversies")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class Theme(models.Model):
    """A theme of the network's work (*thema*: Wonen, Mobiliteit, Jeugdzorg, ...): one list
    shared by the pillars' topics, knowledge, activities and public affairs (DESIGN.md §5)."""

    slug = models.SlugField(_("korte naam"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    # The order of the shipped list; the bureau may change it.
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.name


class SearchEntry(models.Model):
    """One object in the search index (:mod:`m50.core.search`): its text as written (for
    snippets), where it lives, and who may see it.

    The full-text index of the normalised text is kept beside it by ``index.entry_put``: an
    FTS5 table ``core_searchentry_fts`` (rowid = this id) on SQLite, a ``document`` tsvector
    column with a GIN index on PostgreSQL (migration core.0006); neither is a model field.
    """

    # The small columns first: SQLite reads a row's columns in order, and the access check of
    # every match should not have to step over a long body.
    kind = models.CharField(_("soort"), max_length=40)
    object_id = models.BigIntegerField(_("object-id"))
    access = models.CharField(_("toegang"), max_length=20, choices=Access.choices)
    # Plain ids: the core knows no pillars; BODY access compares them with the viewer's.
    pillar_id = models.BigIntegerField(_("pijler"), null=True, blank=True)
    group_id = models.BigIntegerField(_("themagroep"), null=True, blank=True)
    date = models.DateField(_("datum"), null=True, blank=True)
    url = models.CharField(_("adres"), max_length=500)
    title = models.CharField(_("titel"), max_length=500)
    summary = models.TextField(_("samenvatting"), blank=True)
    body = models.TextField(_("tekst"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
            models.CheckConstraint(
                condition=models.Q(access__in=Access.values), name="search_entry_access_valid"
            ),
        ]
        verbose_name = _("zoekindexregel")
        verbose_name_plural = _("zoekindex")

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchFacet(models.Model):
    """A facet value entries can have ("theme" = "wonen", "year" = "2024"), as providers give
    them; one row per value, so counting the visible matches per value groups integers."""

    name = models.CharField(_("naam"), max_length=40)
    value = models.CharField(_("waarde"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "value"], name="search_facet_unique"),
        ]
        verbose_name = _("zoekfacet")
        verbose_name_plural = _("zoekfacetten")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SearchEntryFacet(models.Model):
    """That an entry has a facet value."""

    entry = models.ForeignKey(
        SearchEntry, on_delete=models.CASCADE, related_name="facets", db_index=False
    )
    facet = models.ForeignKey(SearchFacet, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            # Also the index of the facet counts' join and of a filter's EXISTS.
            models.UniqueConstraint(fields=["entry", "facet"], name="search_entry_facet_unique"),
        ]
        verbose_name = _("facet van een zoekindexregel")
        verbose_name_plural = _("facetten van zoekindexregels")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.facet_id}"

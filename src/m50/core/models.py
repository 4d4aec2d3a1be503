"""The audit trail: every change to membership, money and permissions (DESIGN.md §5, BIO 8.15).

One row per action: what was done to which object, by whom, from where, with what result,
and the old and new values of the fields that changed. Secrets are never recorded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

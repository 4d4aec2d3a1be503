"""A change of a municipality's invoice details asked for by its contact, for the bureau to
apply or reject. The details themselves live in finance and change only when the bureau
applies the request, through finance's own service (validated and audited there)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BillingChangeRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("in behandeling")
        APPLIED = "applied", _("verwerkt")
        REJECTED = "rejected", _("afgewezen")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="billing_change_requests",
        verbose_name=_("gemeente"),
    )
    # {field: {"old": ..., "new": ...}} as the contact saw and changed them.
    changes = models.JSONField(_("wijzigingen"))
    remarks = models.TextField(_("toelichting"), blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("gevraagd op"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("behandeld op"), null=True, blank=True)
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("gevraagde wijziging van factuurgegevens")
        verbose_name_plural = _("gevraagde wijzigingen van factuurgegevens")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_state_display()}"

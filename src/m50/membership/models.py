"""Membership of the M50: a dossier of decisions, from which every status is derived.

A membership stores no status of its own (DESIGN.md §1): the status on any date is computed
from its decisions by :mod:`m50.membership.rules`. A wrong decision is never edited in its
substance: it is corrected by a new decision that names it in ``corrects``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Membership(models.Model):
    municipality = models.OneToOneField(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="membership",
        verbose_name=_("gemeente"),
    )
    # A member known only from a published list, without its decisions: "known since 2023-04
    # (source: the network's website)". No decision dates are invented for it.
    listed_since = models.CharField(_("bekend als lid sinds"), max_length=20, blank=True)
    listed_source = models.CharField(_("bron vermelding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return str(self.municipality)


class DecisionKind(models.TextChoices):
    ASPIRANT = "aspirant", _("aspirant-lidmaatschap")
    MANDATE = "mandate", _("mandaat")
    DEFINITIVE = "definitive", _("definitief lidmaatschap")
    TERMINATION = "termination", _("opzegging")
    SUCCESSION = "succession", _("voortzetting na herindeling")
    WITHDRAWAL = "withdrawal", _("intrekking van een onjuist vastgelegd besluit")


class DecidingBody(models.TextChoices):
    COLLEGE = "college", _("college van B&W")
    MAYOR = "mayor", _("burgemeester")
    COUNCIL = "council", _("gemeenteraad")
    BOARD = "board", _("bestuur van het M50")


# How each body is named in a sentence: Dutch needs the right article ("het college",
# "de burgemeester"), which a label cannot carry.
BODY_PHRASES = {
    DecidingBody.COLLEGE: _("het college van B&W"),
    DecidingBody.MAYOR: _("de burgemeester"),
    DecidingBody.COUNCIL: _("de gemeenteraad"),
    DecidingBody.BOARD: _("het bestuur van het M50"),
}


def body_phrase(body: str) -> str:
    """The body, by value or by label, as named in a sentence; "" for none."""
    for value, label in DecidingBody.choices:
        if body in (value, str(label)):
            return str(BODY_PHRASES[value])
    return str(body or "")


class Decision(models.Model):
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("lidmaatschap"),
    )
    kind = models.CharField(_("soort besluit"), max_length=20, choices=DecisionKind.choices)
    deciding_body = models.CharField(
        _("besluitvormend orgaan"), max_length=20, choices=DecidingBody.choices
    )
    decided_on = models.DateField(_("besloten op"))
    effective_on = models.DateField(_("gaat in op"))
    announced_on = models.DateField(_("bekendgemaakt op"), null=True, blank=True)
    # A mandate given by this decision (an aspirant or mandate decision): who may decide on
    # definitive membership, and until when (inclusive).
    mandated_body = models.CharField(
        _("gemandateerd orgaan"), max_length=20, choices=DecidingBody.choices, blank=True
    )
    mandate_deadline = models.DateField(_("mandaat geldig tot en met"), null=True, blank=True)
    # A succession continues the membership of the dissolved predecessor.
    predecessor = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voortgezet lidmaatschap van"),
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrigeert besluit"),
    )
    document_title = models.CharField(_("titel document"), max_length=300, blank=True)
    document_number = models.CharField(_("kenmerk document"), max_length=100, blank=True)
    document_url = models.URLField(_("link naar document"), max_length=500, blank=True)
    remarks = models.TextField(_("opmerkingen"), blank=True)
    # Optimistic concurrency for the documentary fields (ETag / If-Match in the API).
    version = models.PositiveIntegerField(_("versie"), default=1)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        ordering = ["effective_on", "decided_on", "pk"]
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        indexes = [models.Index(fields=["membership", "effective_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(mandate_deadline__isnull=True) | ~Q(mandated_body=""),
                name="decision_mandate_has_body",
            ),
            models.UniqueConstraint(
                fields=["corrects"],
                condition=Q(corrects__isnull=False),
                name="decision_corrected_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.membership} ({self.decided_on:%d-%m-%Y})"


class DecisionProposal(models.Model):
    """A decision proposed by a municipality's contact, to be confirmed by the bureau."""

    class State(models.TextChoices):
        PENDING = "pending", _("in behandeling")
        CONFIRMED = "confirmed", _("bevestigd")
        REJECTED = "rejected", _("afgewezen")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(_("soort besluit"), max_length=20, choices=DecisionKind.choices)
    deciding_body = models.CharField(
        _("besluitvormend orgaan"), max_length=20, choices=DecidingBody.choices
    )
    decided_on = models.DateField(_("besloten op"))
    effective_on = models.DateField(_("gaat in op"), null=True, blank=True)
    announced_on = models.DateField(_("bekendgemaakt op"), null=True, blank=True)
    mandated_body = models.CharField(
        _("gemandateerd orgaan"), max_length=20, choices=DecidingBody.choices, blank=True
    )
    mandate_deadline = models.DateField(_("mandaat geldig tot en met"), null=True, blank=True)
    document_title = models.CharField(_("titel document"), max_length=300)
    document_number = models.CharField(_("kenmerk document"), max_length=100, blank=True)
    document_url = models.URLField(_("link naar document"), max_length=500, blank=True)
    remarks = models.TextField(_("toelichting"), blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("behandeld op"), null=True, blank=True)
    decision = models.OneToOneField(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal"
    )
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("voorstel voor een besluit")
        verbose_name_plural = _("voorstellen voor besluiten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.membership} ({self.get_state_display()})"


class ReminderSent(models.Model):
    """A mandate-deadline reminder that was sent; makes `send-reminders` idempotent."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "days_before"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.days_before} dagen"


class StatusPeriod(models.Model):
    """Derived, never edited by hand: a stretch of days on which a membership's status,
    running mandate and aspirant year stay the same (``rules.segments``).

    Written by the membership services in the same transaction as the decision that changes
    it, so lists filter, sort and paginate on it in the database. ``m50 check-derived``
    recomputes it from the decisions and reports any difference.
    """

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="status_periods"
    )
    status = models.CharField(max_length=20)
    start = models.DateField(null=True, blank=True)  # None: since always (a listed member)
    end = models.DateField(null=True, blank=True)  # first day after it; None: still running
    since = models.DateField(null=True, blank=True)  # start of the whole status period
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    mandate_decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    mandate_body = models.CharField(max_length=20, blank=True)
    mandate_given_on = models.DateField(null=True, blank=True)
    mandate_deadline = models.DateField(null=True, blank=True)
    trial_end = models.DateField(null=True, blank=True)
    # What an aspirant must decide before: the running mandate's deadline, else the end of
    # its aspirant year; the deadlines page sorts on it.
    deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["membership", "start"]
        indexes = [
            models.Index(fields=["status", "start", "end"]),
            models.Index(fields=["membership", "start"]),
            models.Index(fields=["status", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.membership}: {self.status} {self.start} - {self.end}"

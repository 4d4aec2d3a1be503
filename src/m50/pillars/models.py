"""Pillars and theme groups, who takes part in them (through a position at a municipality),
and the topics they work on (DESIGN.md §1, issue 9).

A date that no source gives stays empty and means "unknown": the five former pillars ended,
but on no known date, so ``ended`` says *that* a pillar ended and ``ended_on`` *when*.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def running_q(on: datetime.date, prefix: str = "") -> Q:
    """Objects (pillars, groups) running on ``on``: started (or start unknown), and not ended,
    or ended on a known date not before ``on``."""
    return (Q(**{f"{prefix}started_on__isnull": True}) | Q(**{f"{prefix}started_on__lte": on})) & (
        Q(**{f"{prefix}ended": False}) | Q(**{f"{prefix}ended_on__gte": on})
    )


class Body(models.Model):
    """What pillars and theme groups share: a name, a purpose and a period."""

    name = models.CharField(_("naam"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    purpose = models.TextField(_("doel"), blank=True)
    started_on = models.DateField(_("begonnen op"), null=True, blank=True)
    # Ended, whether or not the date is known (a planned end: the date lies ahead).
    ended = models.BooleanField(_("beëindigd"), default=False)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def is_running(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        started = self.started_on is None or self.started_on <= on
        return started and (not self.ended or (self.ended_on is not None and self.ended_on >= on))


def _body_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(ended_on__isnull=True) | Q(ended=True),
            name=f"{prefix}_end_date_means_ended",
        ),
        models.CheckConstraint(
            condition=Q(ended_on__isnull=True)
            | Q(started_on__isnull=True)
            | Q(ended_on__gte=F("started_on")),
            name=f"{prefix}_end_after_start",
        ),
    ]


class Pillar(Body):
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        through="PillarSuccession",
        through_fields=("predecessor", "successor"),
        related_name="predecessors",
        blank=True,
        verbose_name=_("opvolgers"),
    )

    class Meta:
        ordering = ["ended", "name"]
        verbose_name = _("pijler")
        verbose_name_plural = _("pijlers")
        constraints = _body_constraints("pillar")


class PillarSuccession(models.Model):
    """Where the work of a pillar of an earlier generation went."""

    predecessor = models.ForeignKey(
        Pillar,
        on_delete=models.CASCADE,
        related_name="successions_out",
        verbose_name=_("voorganger"),
    )
    successor = models.ForeignKey(
        Pillar,
        on_delete=models.CASCADE,
        related_name="successions_in",
        verbose_name=_("opvolger"),
    )
    note = models.TextField(_("welk werk ging over"), blank=True)

    class Meta:
        ordering = ["predecessor__name", "successor__name"]
        verbose_name = _("opvolging van een pijler")
        verbose_name_plural = _("opvolgingen van pijlers")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="pillar_succession_once"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="pillar_succession_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class ThemeGroup(Body):
    # None: a group of the network as a whole.
    pillar = models.ForeignKey(
        Pillar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="theme_groups",
        verbose_name=_("pijler"),
    )

    class Meta:
        ordering = ["ended", "name"]
        verbose_name = _("themagroep")
        verbose_name_plural = _("themagroepen")
        constraints = _body_constraints("theme_group")


class Role(models.TextChoices):
    CHAIR = "chair", _("voorzitter")
    MEMBER = "member", _("lid")
    OBSERVER = "observer", _("toehoorder")


class Category(models.TextChoices):
    ADMINISTRATOR = "bestuurder", _("bestuurder")
    MUNICIPAL_SECRETARY = "gemeentesecretaris", _("gemeentesecretaris")
    ADVISOR = "adviseur", _("adviseur")


def _one_of_pillar_or_group(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(pillar__isnull=False) & Q(theme_group__isnull=True))
        | (Q(pillar__isnull=True) & Q(theme_group__isnull=False)),
        name=f"{prefix}_in_pillar_or_group",
    )


class ParticipationQuerySet(models.QuerySet):
    def running(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Participation(models.Model):
    """An official taking part in one pillar or theme group, through their position at a
    municipality, from start to end (inclusive). Ends when the position ends."""

    class EndReason(models.TextChoices):
        NONE = "", _("—")
        LEFT = "left", _("afgemeld")
        POSITION_ENDED = "position_ended", _("functie beëindigd")
        ROLE_CHANGED = "role_changed", _("andere rol")
        BODY_ENDED = "body_ended", _("pijler of themagroep beëindigd")

    position = models.ForeignKey(
        "contacts.Position",
        # A person removed (AVG) takes their positions and participations along.
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("functie"),
    )
    pillar = models.ForeignKey(
        Pillar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("pijler"),
    )
    theme_group = models.ForeignKey(
        ThemeGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("themagroep"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    category = models.CharField(_("categorie"), max_length=20, choices=Category.choices)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    end_reason = models.CharField(
        _("reden van beëindiging"), max_length=20, choices=EndReason.choices, blank=True
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        constraints = [
            _one_of_pillar_or_group("participation"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="participation_end_after_start",
            ),
            # The service checks overlapping periods per person; the database at least keeps
            # one open participation per position and pillar or group.
            models.UniqueConstraint(
                fields=["position", "pillar"],
                condition=Q(end_date__isnull=True, pillar__isnull=False),
                name="participation_open_once_per_pillar",
            ),
            models.UniqueConstraint(
                fields=["position", "theme_group"],
                condition=Q(end_date__isnull=True, theme_group__isnull=False),
                name="participation_open_once_per_group",
            ),
        ]
        indexes = [
            models.Index(fields=["pillar", "end_date"]),
            models.Index(fields=["theme_group", "end_date"]),
            models.Index(fields=["position", "end_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.position.person} — {self.get_role_display()}, {self.body}"

    @property
    def body(self) -> Pillar | ThemeGroup:
        return self.pillar if self.pillar_id else self.theme_group

    def is_running(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("voorgesteld")
    ADOPTED = "adopted", _("aangenomen")
    PARKED = "parked", _("geparkeerd")
    CLOSED = "closed", _("afgesloten")


class Topic(models.Model):
    """What a pillar or theme group works on (*onderwerp*), proposed by its members."""

    pillar = models.ForeignKey(
        Pillar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("pijler"),
    )
    theme_group = models.ForeignKey(
        ThemeGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("themagroep"),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("korte omschrijving"), blank=True)
    owner = models.ForeignKey(
        "contacts.Person",
        # A person removed (AVG) leaves the topic without an owner.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("eigenaar"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TopicStatus.choices,
        default=TopicStatus.PROPOSED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("voorgesteld op"), default=timezone.now)
    # The network's shared vocabulary (DESIGN.md §5): the same themes as activities and
    # knowledge, so a theme finds what the network does on it.
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="topics", verbose_name=_("thema's")
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("onderwerp")
        verbose_name_plural = _("onderwerpen")
        constraints = [_one_of_pillar_or_group("topic")]

    def __str__(self) -> str:
        return self.title

    @property
    def body(self) -> Pillar | ThemeGroup:
        return self.pillar if self.pillar_id else self.theme_group


class TopicStatusChange(models.Model):
    """One step in a topic's history; the first has no ``from_status`` (its proposal)."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("onderwerp")
    )
    from_status = models.CharField(_("van"), max_length=20, choices=TopicStatus.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=20, choices=TopicStatus.choices)
    changed_at = models.DateTimeField(_("op"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    # Who, as the audit trail names them, also when the account is gone.
    changed_by_label = models.CharField(_("door (naam)"), max_length=200, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("statuswijziging van een onderwerp")
        verbose_name_plural = _("statuswijzigingen van onderwerpen")

    def __str__(self) -> str:
        return f"{self.topic}: {self.from_status or '—'} → {self.to_status}"


class ParticipationRequest(models.Model):
    """An official asks to join a pillar or theme group; its chair or the bureau accepts
    (which registers the participation) or refuses (with a reason)."""

    class State(models.TextChoices):
        PENDING = "pending", _("ingediend")
        ACCEPTED = "accepted", _("geaccepteerd")
        REFUSED = "refused", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    position = models.ForeignKey(
        "contacts.Position",
        on_delete=models.CASCADE,
        related_name="participation_requests",
        verbose_name=_("functie"),
    )
    pillar = models.ForeignKey(
        Pillar,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participation_requests",
        verbose_name=_("pijler"),
    )
    theme_group = models.ForeignKey(
        ThemeGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participation_requests",
        verbose_name=_("themagroep"),
    )
    note = models.TextField(_("toelichting"), blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    requested_at = models.DateTimeField(_("ingediend op"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    handled_at = models.DateTimeField(_("behandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandeld door"),
    )
    refusal_reason = models.TextField(_("reden van afwijzing"), blank=True)
    participation = models.OneToOneField(
        Participation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("deelname"),
    )

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("aanmelding voor een pijler of themagroep")
        verbose_name_plural = _("aanmeldingen voor pijlers en themagroepen")
        constraints = [
            _one_of_pillar_or_group("participation_request"),
            # One open request per position and pillar or group.
            models.UniqueConstraint(
                fields=["position", "pillar"],
                condition=Q(state="pending", pillar__isnull=False),
                name="participation_request_pending_once_per_pillar",
            ),
            models.UniqueConstraint(
                fields=["position", "theme_group"],
                condition=Q(state="pending", theme_group__isnull=False),
                name="participation_request_pending_once_per_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position.person} → {self.body}"

    @property
    def body(self) -> Pillar | ThemeGroup:
        return self.pillar if self.pillar_id else self.theme_group

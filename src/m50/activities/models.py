"""Activities of the network: meetings, sessions, consultations, webinars and work visits, who
registers for them, who attended, their documents, and the calendars they reach (issue 10).

Times are stored as moments (UTC) and shown in Europe/Amsterdam. An all-day activity runs from
midnight of its first day to midnight after its last day (the end excluded, as RFC 5545's
DTEND of a date), so a one-day activity on 3 March ends at 4 March 00:00.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    GENERAL_MEETING = "ledenvergadering", _("ledenvergadering")
    PILLAR_MEETING = "pijlerbijeenkomst", _("pijlerbijeenkomst")
    GROUP_SESSION = "themagroepsessie", _("themagroepsessie")
    CONSULTATION = "bestuurlijk-overleg", _("bestuurlijk overleg")
    WORK_VISIT = "werkbezoek", _("werkbezoek")
    WEBINAR = "webinar", _("webinar")
    OTHER = "overig", _("overig")


class Audience(models.TextChoices):
    PUBLIC = "iedereen", _("iedereen")
    MEMBERS = "leden", _("alle deelnemers van leden")
    BODY = "pijler-of-groep", _("één pijler of themagroep")
    ADMINISTRATORS = "bestuurders", _("alleen bestuurders")
    INVITATION = "op-uitnodiging", _("op uitnodiging")


class Status(models.TextChoices):
    SCHEDULED = "gepland", _("gepland")
    CANCELLED = "geannuleerd", _("geannuleerd")


class Cadence(models.TextChoices):
    """How often a series meets; the number is its step in months (a week is counted apart)."""

    WEEKLY = "wekelijks", _("wekelijks")
    MONTHLY = "maandelijks", _("maandelijks")
    QUARTERLY = "per-kwartaal", _("per kwartaal")
    HALF_YEARLY = "halfjaarlijks", _("halfjaarlijks")
    YEARLY = "jaarlijks", _("jaarlijks")


CADENCE_MONTHS = {
    Cadence.MONTHLY: 1,
    Cadence.QUARTERLY: 3,
    Cadence.HALF_YEARLY: 6,
    Cadence.YEARLY: 12,
}


class ActivitySeries(models.Model):
    """Activities planned together on a cadence (a half-yearly consultation with a ministry).
    Each occurrence is an activity of its own, with its own registrations; the series says that
    they belong together."""

    title = models.CharField(_("titel"), max_length=200)
    cadence = models.CharField(_("ritme"), max_length=20, choices=Cadence.choices)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("reeks activiteiten")
        verbose_name_plural = _("reeksen activiteiten")

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    # The calendar identity (RFC 5545 UID): stable for the activity's whole life.
    uid = models.UUIDField(_("kalender-id"), default=uuid.uuid4, unique=True, editable=False)
    # RFC 5545 SEQUENCE: raised by every change a calendar must take over.
    sequence = models.PositiveIntegerField(_("volgnummer van de wijziging"), default=0)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, db_index=True)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    # Neither: the bureau organises it.
    organiser_pillar = models.ForeignKey(
        "pillars.Pillar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("georganiseerd door pijler"),
    )
    organiser_theme_group = models.ForeignKey(
        "pillars.ThemeGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("georganiseerd door themagroep"),
    )
    starts_at = models.DateTimeField(_("begint op"))
    ends_at = models.DateTimeField(_("eindigt op"))
    all_day = models.BooleanField(_("hele dag"), default=False)
    address = models.TextField(_("adres"), blank=True)
    host_municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_activities",
        verbose_name=_("gastgemeente"),
    )
    # Shown only to whoever holds a seat.
    online_url = models.URLField(_("link voor online deelname"), max_length=500, blank=True)
    audience = models.CharField(
        _("voor wie"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    audience_pillar = models.ForeignKey(
        "pillars.Pillar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audience_activities",
        verbose_name=_("voor de pijler"),
    )
    audience_theme_group = models.ForeignKey(
        "pillars.ThemeGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audience_activities",
        verbose_name=_("voor de themagroep"),
    )
    topics = models.ManyToManyField(
        "pillars.Topic", blank=True, related_name="activities", verbose_name=_("onderwerpen")
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="activities", verbose_name=_("thema's")
    )
    # Registration: open from (empty: from the start) until (empty: until the activity begins).
    registration_opens_at = models.DateTimeField(_("aanmelden kan vanaf"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("aanmelden kan tot"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("aantal plaatsen"), null=True, blank=True)
    municipality_limit = models.PositiveIntegerField(
        _("plaatsen per gemeente"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reden van annulering"), blank=True)
    series = models.ForeignKey(
        ActivitySeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("reeks"),
    )
    attendance_recorded_at = models.DateTimeField(
        _("aanwezigheid vastgelegd op"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(organiser_pillar__isnull=True) | Q(organiser_theme_group__isnull=True),
                name="activity_one_organiser",
            ),
            models.CheckConstraint(
                condition=~Q(audience="pijler-of-groep")
                | (Q(audience_pillar__isnull=False) & Q(audience_theme_group__isnull=True))
                | (Q(audience_pillar__isnull=True) & Q(audience_theme_group__isnull=False)),
                name="activity_body_audience_names_one",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="activity_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="activity_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(municipality_limit__isnull=True) | Q(municipality_limit__gt=0),
                name="activity_municipality_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(status="geannuleerd") | Q(cancelled_at__isnull=True),
                name="activity_cancelled_at_means_cancelled",
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at", "id"], name="activity_agenda"),
            models.Index(fields=["organiser_pillar", "starts_at"], name="activity_pillar_agenda"),
            models.Index(
                fields=["organiser_theme_group", "starts_at"], name="activity_group_agenda"
            ),
            models.Index(fields=["host_municipality", "starts_at"], name="activity_host_agenda"),
            models.Index(fields=["audience", "starts_at"], name="activity_audience_agenda"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser(self):
        """The pillar or theme group organising it; None: the bureau."""
        if self.organiser_pillar_id:
            return self.organiser_pillar
        if self.organiser_theme_group_id:
            return self.organiser_theme_group
        return None

    @property
    def audience_body(self):
        if self.audience_pillar_id:
            return self.audience_pillar
        if self.audience_theme_group_id:
            return self.audience_theme_group
        return None

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED


class Invitation(models.Model):
    """Who is invited to an activity open by invitation only."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("activiteit")
    )
    person = models.ForeignKey(
        "contacts.Person",
        on_delete=models.CASCADE,
        related_name="activity_invitations",
        verbose_name=_("persoon"),
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.activity}"


class RegistrationState(models.TextChoices):
    CONFIRMED = "geplaatst", _("geplaatst")
    WAITLISTED = "wachtlijst", _("op de wachtlijst")
    CANCELLED = "afgemeld", _("afgemeld")


class Registration(models.Model):
    """A person's registration: a seat, a place on the waiting list (in order of registering),
    or cancelled. One registration that is not cancelled per person and activity."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("activiteit"),
    )
    person = models.ForeignKey(
        "contacts.Person",
        # A person removed (AVG) takes their registrations along.
        on_delete=models.CASCADE,
        related_name="activity_registrations",
        verbose_name=_("persoon"),
    )
    # The municipality the person registered for: the per-municipality limit counts it, and
    # attendance is kept under it also after the person moves on.
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_registrations",
        verbose_name=_("gemeente"),
    )
    state = models.CharField(_("status"), max_length=20, choices=RegistrationState.choices)
    registered_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    promoted_at = models.DateTimeField(_("van de wachtlijst geplaatst op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemeld door"),
    )
    note = models.CharField(_("opmerking (bijv. dieetwens)"), max_length=500, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=~Q(state="afgemeld"),
                name="registration_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(state="afgemeld") | Q(cancelled_at__isnull=True),
                name="registration_cancelled_at_means_cancelled",
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "state", "registered_at"], name="registration_queue"),
            models.Index(fields=["person", "state"], name="registration_of_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.activity}"


class Attendance(models.Model):
    """Who was there: a registered person, or a walk-in (a person, or only a name). The
    municipality and year are kept as they were, for the member's value report."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("activiteit")
    )
    registration = models.OneToOneField(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("aanmelding"),
    )
    person = models.ForeignKey(
        "contacts.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_attendances",
        verbose_name=_("persoon"),
    )
    name = models.CharField(_("naam"), max_length=200)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_attendances",
        verbose_name=_("gemeente"),
    )
    # The activity's year in Amsterdam time, kept so the yearly figures need no date maths.
    year = models.PositiveSmallIntegerField(_("jaar"))
    walk_in = models.BooleanField(_("zonder aanmelding"), default=False)
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(person__isnull=False),
                name="attendance_once_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "year"], name="attendance_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.activity}"


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("agenda")
    PRESENTATION = "presentatie", _("presentatie")
    MINUTES = "verslag", _("verslag")
    OTHER = "overig", _("overig")


class ActivityDocument(models.Model):
    """An agenda, presentation or minutes of an activity; seen by whoever sees the activity,
    always served as a download."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="documents", verbose_name=_("activiteit")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), upload_to="activities/%Y/%m/", max_length=300)
    # The name the uploader gave it, used for the download's name.
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte in bytes"))
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
        ordering = ["kind", "uploaded_at", "pk"]
        verbose_name = _("document bij een activiteit")
        verbose_name_plural = _("documenten bij activiteiten")

    def __str__(self) -> str:
        return self.title


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's private calendar subscription: the secret in its URL. Renewing replaces the
    secret, so the old URL stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("gebruiker"),
    )
    token = models.CharField(_("geheim"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self) -> str:
        return str(self.user)


class ReminderSent(models.Model):
    """A reminder sent for a registration, so the hourly command sends each one once."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("aanmelding"),
    )
    days_before = models.PositiveSmallIntegerField(_("dagen vooraf"))
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "days_before"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} ({self.days_before})"

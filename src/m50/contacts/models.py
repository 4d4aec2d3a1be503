"""Organisations, people and their positions (a function at an organisation, with dates)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("gemeente")
        MINISTRY = "ministry", _("ministerie")
        PARTNER_NETWORK = "partner_network", _("partnernetwerk")
        KNOWLEDGE_PARTNER = "knowledge_partner", _("kennispartner")
        PARLIAMENTARY_GROUP = "parliamentary_group", _("fractie")
        OTHER = "other", _("overig")

    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField(_("naam"), max_length=200)
    abbreviation = models.CharField(_("afkorting"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    municipality = models.OneToOneField(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("gemeente"),
    )
    network = models.OneToOneField(
        "municipalities.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("netwerk"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    given_name = models.CharField(_("voornaam of voorletters"), max_length=100, blank=True)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    surname = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)

    class Meta:
        ordering = ["surname", "given_name"]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        indexes = [models.Index(fields=["surname", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.surname_prefix, self.surname) if p)


class PositionQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )

    def past(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)


class Position(models.Model):
    """A person's function at an organisation, from start to end (inclusive)."""

    class Function(models.TextChoices):
        MAYOR = "burgemeester", _("burgemeester")
        ALDERMAN = "wethouder", _("wethouder")
        MUNICIPAL_SECRETARY = "gemeentesecretaris", _("gemeentesecretaris")
        COUNCILLOR = "raadslid", _("raadslid")
        POLICY_ADVISOR = "beleidsadviseur", _("beleidsadviseur")
        MP = "kamerlid", _("Tweede Kamerlid")
        LOBBYIST = "lobbyist", _("lobbyist")
        DIRECTOR = "directeur", _("directeur")
        CIVIL_SERVANT = "ambtenaar", _("ambtenaar")
        CHAIR = "voorzitter", _("voorzitter")
        OTHER = "overig", _("overig")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("persoon")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("organisatie"),
    )
    function = models.CharField(_("functie"), max_length=30, choices=Function.choices)
    title = models.CharField(_("functietitel"), max_length=200, blank=True)
    portfolio = models.CharField(_("portefeuille"), max_length=300, blank=True)
    start_date = models.DateField(_("begindatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "person__surname"]
        verbose_name = _("functie")
        verbose_name_plural = _("functies")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_function_display()}, {self.organisation}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.start_date is None or self.start_date <= on) and (
            self.end_date is None or self.end_date >= on
        )

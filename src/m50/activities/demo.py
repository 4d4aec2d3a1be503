"""Demo activities for the embedded install, so the agenda, registrations, the waiting list,
a series and recorded attendance can be tried out: a general meeting, a meeting of Sociaal
that is full (the demo participant is on its waiting list), an online webinar, a half-yearly
consultation with the Ministry of Justice and Security, and a past session with its attendance.
Planned through the same services as the pages. Idempotent: what exists (by title) is left
alone, so a second run adds nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.activities import services
from m50.activities.models import Activity, ActivitySeries, Audience, Cadence, Kind
from m50.activities.services._common import local_moment
from m50.contacts.models import Person
from m50.contacts.services import person_create
from m50.pillars import selectors as pillars
from m50.pillars.models import Pillar

GENERAL_MEETING = "Algemene ledenvergadering M50"
SOCIAAL_MEETING = "Pijlerbijeenkomst Sociaal: armoede en schulden"
WEBINAR = "Webinar: de nieuwe Omgevingswet in de praktijk"
CONSULTATION = "Bestuurlijk overleg M50 – Justitie en Veiligheid"
PAST_SESSION = "Pijlerbijeenkomst Sociaal: terugblik op de jeugdzorg"
# Two people without an address (they get no mail) who take the seats of the Sociaal meeting.
SEAT_HOLDERS = (("Fleur", "Vries", "de"), ("Sanne", "Bakker", ""))


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """``days`` from today at ``hour``:``minute`` in Amsterdam."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return local_moment(day, datetime.time(hour, minute))


def _seat_holders() -> list[Person]:
    people = []
    for given, surname, prefix in SEAT_HOLDERS:
        person = Person.objects.filter(
            given_name=given, surname=surname, surname_prefix=prefix, email=""
        ).first()
        people.append(
            person
            or person_create(
                surname=surname, given_name=given, surname_prefix=prefix, origin="demo"
            )
        )
    return people


def _themes(*slugs: str) -> list:
    """The shipped themes of these slugs that are in use (one the bureau retired is left out)."""
    return list(pillars.theme_list(active_only=True).filter(slug__in=slugs))


def demo_activities_create(*, participant, chair=None, municipality=None) -> list[str]:
    """Plans the demo activities that do not exist yet and registers the demo participant;
    lines saying what was done, or why not (a refusal is reported, never raised). Written
    without an actor, as the command's operator's work (the audit trail names them)."""
    lines: list[str] = []
    sociaal = Pillar.objects.filter(slug="sociaal").first()
    person = participant.person if participant is not None else None

    def register(activity, someone) -> None:
        if someone is None:
            return
        services.registration_create(activity=activity, person=someone, actor=None, origin="demo")

    def general_meeting():
        activity = services.activity_create(
            actor=None,
            kind=Kind.GENERAL_MEETING,
            title=GENERAL_MEETING,
            description=_(
                "De halfjaarlijkse vergadering van alle leden: jaarverslag, begroting en de "
                "koers van het netwerk."
            ),
            starts_at=_at(21, 13, 30),
            ends_at=_at(21, 17),
            host_municipality=municipality,
            address="Raadhuisplein 1, Diemen",
            audience=Audience.MEMBERS,
            registration_closes_at=_at(18, 12),
            capacity=120,
            municipality_limit=4,
            themes=_themes("bestuur-en-dienstverlening", "gemeentefinancien"),
            origin="demo",
        )
        register(activity, person)

    def sociaal_meeting():
        activity = services.activity_create(
            actor=None,
            kind=Kind.PILLAR_MEETING,
            organiser=sociaal,
            title=SOCIAAL_MEETING,
            description=_("Ervaringen uitwisselen over schuldhulp en bestaanszekerheid."),
            starts_at=_at(10, 10),
            ends_at=_at(10, 12, 30),
            address="Stadskantoor, Utrecht",
            audience=Audience.BODY,
            audience_body=sociaal,
            capacity=2,
            themes=_themes("werk-en-inkomen", "zorg-en-welzijn"),
            origin="demo",
        )
        for holder in _seat_holders():
            register(activity, holder)
        register(activity, person)  # full: the demo participant is first on the waiting list

    def webinar():
        activity = services.activity_create(
            actor=None,
            kind=Kind.WEBINAR,
            title=WEBINAR,
            description=_("Een uur over wat gemeenten van middelgrote omvang tegenkomen."),
            starts_at=_at(14, 15),
            ends_at=_at(14, 16),
            online_url="https://webinar.m50.example/omgevingswet",
            audience=Audience.PUBLIC,
            themes=_themes("ruimte-en-omgeving"),
            origin="demo",
        )
        register(activity, person)

    def consultation():
        services.series_plan(
            actor=None,
            title=CONSULTATION,
            cadence=Cadence.HALF_YEARLY,
            count=4,
            kind=Kind.CONSULTATION,
            description=_("Halfjaarlijks overleg van de M50-bestuurders met het ministerie."),
            starts_at=_at(45, 10),
            ends_at=_at(45, 12),
            address="Ministerie van Justitie en Veiligheid, Turfmarkt 147, Den Haag",
            audience=Audience.ADMINISTRATORS,
            themes=_themes("openbare-orde-en-veiligheid"),
            origin="demo",
        )

    def past_session():
        activity = services.activity_create(
            actor=None,
            kind=Kind.PILLAR_MEETING,
            organiser=sociaal,
            title=PAST_SESSION,
            starts_at=_at(-20, 14),
            ends_at=_at(-20, 16),
            host_municipality=municipality,
            audience=Audience.BODY,
            audience_body=sociaal,
            themes=_themes("jeugdzorg"),
            origin="demo",
        )
        # Registering closed long ago: who came is recorded as present without registering.
        for someone in (person, getattr(chair, "person", None)):
            if someone is not None:
                services.attendance_add_walk_in(
                    activity=activity, actor=None, person=someone, origin="demo"
                )
        services.attendance_add_walk_in(
            activity=activity,
            actor=None,
            name="Gastspreker Nibud",
            origin="demo",
        )

    plans = [
        (GENERAL_MEETING, general_meeting, Activity),
        (SOCIAAL_MEETING, sociaal_meeting, Activity),
        (WEBINAR, webinar, Activity),
        (CONSULTATION, consultation, ActivitySeries),
        (PAST_SESSION, past_session, Activity),
    ]
    for title, make, model in plans:
        if model.objects.filter(title=title).exists():
            continue
        if make in (sociaal_meeting, past_session) and sociaal is None:
            lines.append(
                _("Geen demo-activiteit %(title)s: pijler Sociaal ontbreekt.") % {"title": title}
            )
            continue
        try:
            # One activity at a time: a refused registration leaves no half-made activity.
            with transaction.atomic():
                make()
        except ValidationError as error:
            lines.append(
                _("Geen demo-activiteit %(title)s: %(reason)s")
                % {"title": title, "reason": " ".join(error.messages)}
            )
        else:
            lines.append(_("Demo-activiteit gepland: %(title)s.") % {"title": title})
    if person is None and participant is not None:
        lines.append(
            _("%(user)s is nergens aangemeld: het account hoort bij geen persoon.")
            % {"user": participant.username}
        )
    return lines

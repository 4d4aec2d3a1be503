"""The demo activities made by ``m50 create-demo-accounts``: planned through the services, the
demo participant registered (one seat on the waiting list), a series and a past session with
its attendance; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from m50.accounts.models import User
from m50.activities import selectors
from m50.activities.models import (
    Activity,
    ActivitySeries,
    Attendance,
    Kind,
    Registration,
    RegistrationState,
)
from m50.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Activity, ActivitySeries, Registration, Attendance, AuditEvent)
    )


def test_demo_activities_are_planned_once(diemen, capsys):
    call_command("create-demo-accounts")
    out = capsys.readouterr().out
    assert "Demo-activiteit gepland: Algemene ledenvergadering M50." in out
    assert "Geen demo-activiteit" not in out
    assert Activity.objects.count() == 8  # four on their own, a series of four
    assert {a.kind for a in Activity.objects.all()} == {
        Kind.GENERAL_MEETING,
        Kind.PILLAR_MEETING,
        Kind.WEBINAR,
        Kind.CONSULTATION,
    }
    series = ActivitySeries.objects.get()
    assert series.activities.count() == 4
    # Each carries themes of the shared list, the series each of its dates.
    assert all(a.themes.exists() for a in Activity.objects.all())
    assert [t.slug for t in Activity.objects.get(kind=Kind.WEBINAR).themes.all()] == [
        "ruimte-en-omgeving"
    ]
    participant = User.objects.get(username="deelnemer")
    mine = dict(
        Registration.objects.filter(person=participant.person).values_list(
            "activity__title", "state"
        )
    )
    assert mine == {
        "Algemene ledenvergadering M50": RegistrationState.CONFIRMED,
        "Pijlerbijeenkomst Sociaal: armoede en schulden": RegistrationState.WAITLISTED,
        "Webinar: de nieuwe Omgevingswet in de praktijk": RegistrationState.CONFIRMED,
    }
    sociaal = Activity.objects.get(title__startswith="Pijlerbijeenkomst Sociaal: armoede")
    position = selectors.registration_of(activity=sociaal, person_id=participant.person_id)
    assert position.waiting_position == 1
    # The participant sees what they registered for, and the past session in their agenda.
    past = Activity.objects.get(title__contains="terugblik")
    assert past in selectors.activity_list(user=participant, when="past")
    assert Attendance.objects.filter(activity=past).count() == 3
    assert [
        (f.activities, f.people)
        for f in selectors.attendance_per_year(municipality_id=participant.municipality_id)
    ] == [(1, 2)]
    before = counts()
    call_command("create-demo-accounts")
    assert counts()[:4] == before[:4]
    assert "Demo-activiteit gepland" not in capsys.readouterr().out


def test_without_an_organisation_the_activities_still_come(capsys):
    from tests.factories import MunicipalityFactory

    MunicipalityFactory(code="GM0384", name="Diemen")
    call_command("create-demo-accounts")
    out = capsys.readouterr().out
    assert "is nergens aangemeld" in out
    assert Activity.objects.count() == 8
    assert not Registration.objects.filter(person__isnull=True).exists()

"""Ending a position in the platform's own screens ends what rests on it: the official's
participations in pillars and theme groups end that day, and the municipality's contact is
told, so the seat can be filled (issue 9)."""

import datetime

import pytest
from django.urls import reverse

from m50.accounts.models import Role
from m50.contacts.models import Person, Position
from m50.core.models import AuditEvent
from m50.pillars import services as pillars
from m50.pillars.models import Participation, Pillar
from tests.factories import UserFactory
from tests.pillars.conftest import municipality_organisation, official

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(db):
    diemen = municipality_organisation("Diemen")
    houten = municipality_organisation("Houten")
    alderman = official(diemen)
    sociaal = pillars.participation_register(
        position=alderman, pillar=Pillar.objects.get(slug="sociaal"), start_date=D(2024, 3, 1)
    )
    financieel = pillars.participation_register(
        position=alderman,
        pillar=Pillar.objects.get(slug="financieel"),
        start_date=D(2024, 3, 1),
        end_date=D(2024, 12, 31),
    )
    return {
        "diemen": diemen,
        "houten": houten,
        "alderman": alderman,
        "sociaal": sociaal,
        "financieel": financieel,
        "diemen_contact": UserFactory(
            role=Role.MEMBER_CONTACT,
            municipality=diemen.municipality,
            email="contact@diemen.example",
        ),
        "houten_contact": UserFactory(role=Role.MEMBER_CONTACT, municipality=houten.municipality),
    }


def snapshot():
    return (
        sorted(Participation.objects.values_list("pk", "end_date", "end_reason")),
        sorted(Position.objects.values_list("pk", "end_date")),
        Person.objects.count(),
        AuditEvent.objects.count(),
    )


def test_contact_ends_a_position_and_its_participations_end_with_it(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world["diemen_contact"])
    url = reverse("contacts:position_end", args=[world["alderman"].pk])
    assert "pijlers" in client.get(url).text  # the form says what ends with the position
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"end_date": "2026-03-31"})
    assert response.status_code == 302
    sociaal = Participation.objects.get(pk=world["sociaal"].pk)
    assert sociaal.end_date == D(2026, 3, 31)
    assert sociaal.end_reason == Participation.EndReason.POSITION_ENDED
    # One that had already ended keeps its own end.
    financieel = Participation.objects.get(pk=world["financieel"].pk)
    assert financieel.end_date == D(2024, 12, 31) and financieel.end_reason == ""
    event = AuditEvent.objects.get(action="participation.end", object_id=str(sociaal.pk))
    assert event.actor == world["diemen_contact"] and event.origin == "webformulier"
    assert [m.to for m in mailoutbox] == [["contact@diemen.example"]]
    assert "Sociaal" in mailoutbox[0].body and "31 maart 2026" in mailoutbox[0].body


def test_bureau_moves_the_end_later_and_the_participation_moves_along(client, world):
    client.force_login(UserFactory(role=Role.BUREAU))
    url = reverse("contacts:position_end", args=[world["alderman"].pk])
    client.post(url, {"end_date": "2026-03-31"})
    client.post(url, {"end_date": "2026-06-30"})
    sociaal = Participation.objects.get(pk=world["sociaal"].pk)
    assert sociaal.end_date == D(2026, 6, 30)
    assert sociaal.end_reason == Participation.EndReason.POSITION_ENDED


def test_contact_of_another_municipality_ends_nothing(client, world, mailoutbox):
    client.force_login(world["houten_contact"])
    before = snapshot()
    url = reverse("contacts:position_end", args=[world["alderman"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"end_date": "2026-03-31"}).status_code == 404
    assert snapshot() == before
    assert mailoutbox == []


def test_a_refused_end_ends_no_participation(client, world, mailoutbox):
    client.force_login(world["diemen_contact"])
    before = snapshot()
    url = reverse("contacts:position_end", args=[world["alderman"].pk])
    response = client.post(url, {"end_date": "2020-01-01"})  # before the start in 2022
    assert response.status_code == 200
    assert "vóór de begindatum" in response.text
    assert snapshot() == before
    assert mailoutbox == []


def test_contact_adds_a_person_with_a_position_who_can_then_take_part(client, world):
    """Issue 9: add a person, give them a position; participation needs them."""
    client.force_login(world["diemen_contact"])
    response = client.post(
        reverse("contacts:organisation_person_create", args=[world["diemen"].slug]),
        {"surname": "Bakker", "function": Position.Function.ALDERMAN, "start_date": "2026-01-01"},
    )
    assert response.status_code == 302
    position = Position.objects.get(person__surname="Bakker")
    participation = pillars.participation_register(
        position=position, pillar=Pillar.objects.get(slug="sociaal"), start_date=D(2026, 1, 1)
    )
    assert participation.category == "bestuurder"

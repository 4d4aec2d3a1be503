"""The activity an item came from and whom to call about a note, as the forms and the API offer
and the services check them: an activity the writer may see (the newest first, with its date),
a person with a running function (a member's official: of their own municipality or the M50).
Any other choice is refused in Dutch and writes nothing; a choice made before stays."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from m50.activities.models import Activity, Audience
from m50.activities.models import Kind as ActivityKind
from m50.contacts.models import Person, Position
from m50.core.models import AuditEvent
from m50.knowledge import services
from m50.knowledge.models import Access, Form, Kind, KnowledgeItem, Status
from m50.municipalities.models import Network
from m50.pillars.forms import body_key
from tests.activities.conftest import plan
from tests.factories import OrganisationFactory, PositionFactory
from tests.knowledge.conftest import note

pytestmark = pytest.mark.django_db
CREATE = reverse("knowledge:create")
API = "/api/v1/kennisitems"
Function = Position.Function


def moment(year, month, day) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


@pytest.fixture
def activities(people, financieel, sociaal):
    """Three activities: one for all members, a newer one for everyone, and the newest for the
    pillar Financieel (none of the writers below takes part in it)."""
    bureau = people["bureau"]
    return {
        "members": plan(
            bureau,
            title="Ledenvergadering voorjaar",
            audience=Audience.MEMBERS,
            starts_at=moment(2025, 3, 4),
        ),
        "public": plan(
            bureau,
            title="Werkbezoek Tweede Kamer",
            audience=Audience.PUBLIC,
            starts_at=moment(2025, 9, 12),
        ),
        "financieel": plan(
            bureau,
            title="Pijlerbijeenkomst Financieel",
            audience=Audience.BODY,
            audience_body=financieel,
            starts_at=moment(2025, 11, 20),
        ),
    }


@pytest.fixture
def contacts(diemen, houten):
    """People to call: of Diemen (two, one of whom has left), of Houten, and of the M50."""
    m50 = Network.objects.get_or_create(code="M50", defaults={"name": "M50"})[0]
    network = OrganisationFactory(name="M50", network=m50)
    left = PositionFactory(organisation=diemen, end_date=datetime.date(2023, 12, 31)).person
    return {
        "diemen": PositionFactory(
            organisation=diemen, function=Function.POLICY_ADVISOR, title="Adviseur wonen"
        ).person,
        "left": left,
        "houten": PositionFactory(organisation=houten, function=Function.ALDERMAN).person,
        "m50": PositionFactory(organisation=network, function=Function.DIRECTOR).person,
    }


def fields(**values) -> dict:
    data = {
        "form": Form.NOTE,
        "kind": Kind.EXAMPLE,
        "title": "Wijkteams",
        "summary": "",
        "date": "2025-03-04",
        "municipality": "",
        "body": "bureau",
        "access": Access.NETWORK,
        "activity": "",
        "note_what": "Eén wijkteam per wijk.",
        "note_contact_person": "",
        "note_contact_text": "",
    }
    data.update(values)
    return data


def choices(response, name) -> list[tuple[str, str]]:
    return [
        (str(value), str(label)) for value, label in response.context["form"][name].field.choices
    ]


def snapshot():
    return (
        sorted(
            KnowledgeItem.objects.values_list(
                "pk", "title", "activity_id", "note_contact_person_id"
            )
        ),
        AuditEvent.objects.count(),
    )


# --- The forms' choices --------------------------------------------------------------------------


def test_the_form_offers_the_activities_the_writer_may_see_newest_first_with_their_date(
    client, people, activities
):
    client.force_login(people["sociaal_member"])
    offered = choices(client.get(CREATE), "activity")
    assert offered == [
        ("", "Geen activiteit"),
        (str(activities["public"].pk), "Werkbezoek Tweede Kamer (12 september 2025)"),
        (str(activities["members"].pk), "Ledenvergadering voorjaar (4 maart 2025)"),
    ]
    client.force_login(people["bureau"])
    offered = choices(client.get(CREATE), "activity")
    assert offered[1] == (
        str(activities["financieel"].pk),
        "Pijlerbijeenkomst Financieel (20 november 2025)",
    )
    assert len(offered) == 4


def test_a_member_names_people_of_their_own_municipality_or_the_m50_the_bureau_anyone(
    client, people, contacts
):
    client.force_login(people["sociaal_member"])  # of Diemen
    offered = dict(choices(client.get(CREATE), "note_contact_person"))
    diemen_person, m50_person = contacts["diemen"], contacts["m50"]
    assert offered[str(diemen_person.pk)] == f"{diemen_person} (Adviseur wonen, Gemeente Diemen)"
    assert offered[str(m50_person.pk)] == f"{m50_person} (directeur, M50)"
    assert str(contacts["houten"].pk) not in offered
    assert str(contacts["left"].pk) not in offered  # their function has ended
    client.force_login(people["bureau"])
    offered = dict(choices(client.get(CREATE), "note_contact_person"))
    assert {str(contacts[name].pk) for name in ("diemen", "houten", "m50")} <= offered.keys()
    assert str(contacts["left"].pk) not in offered


# --- Writing through the pages -------------------------------------------------------------------


def test_a_member_names_an_activity_and_whom_to_call_and_the_page_shows_them(
    client, people, diemen, activities, contacts
):
    writer = people["sociaal_member"]
    client.force_login(writer)
    response = client.post(
        CREATE,
        fields(
            municipality=str(diemen.municipality.pk),
            activity=str(activities["members"].pk),
            note_contact_person=str(contacts["m50"].pk),
            note_contact_text="Bel op dinsdag",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    item = KnowledgeItem.objects.get()
    assert (item.activity, item.note_contact_person) == (activities["members"], contacts["m50"])
    changes = AuditEvent.objects.get(action="knowledge.item_create").changes
    assert changes["activity"]["new"] == "Ledenvergadering voorjaar"
    assert changes["note_contact_person"]["new"] == str(contacts["m50"])
    page = client.get(item.get_absolute_url()).content.decode()
    assert reverse("activities:detail", args=[activities["members"].pk]) in page
    assert "Ledenvergadering voorjaar" in page
    assert reverse("contacts:person_detail", args=[contacts["m50"].pk]) in page
    edit = client.get(reverse("knowledge:edit", args=[item.pk]))
    assert edit.context["form"].initial["activity"] == str(activities["members"].pk)
    assert edit.context["form"].initial["note_contact_person"] == str(contacts["m50"].pk)


@pytest.mark.parametrize(
    ("field", "choice"),
    [("activity", "financieel"), ("note_contact_person", "houten")],
)
def test_a_choice_not_offered_is_a_dutch_error_and_writes_nothing(
    client, people, diemen, activities, contacts, field, choice
):
    client.force_login(people["sociaal_member"])
    value = (activities if field == "activity" else contacts)[choice].pk
    before = snapshot()
    response = client.post(
        CREATE, fields(municipality=str(diemen.municipality.pk), **{field: value})
    )
    assert response.status_code == 400
    assert f"Kies een waarde uit de lijst; {value} bestaat niet." in response.content.decode()
    assert snapshot() == before


def test_the_services_refuse_an_unseen_activity_and_a_person_not_to_be_named(
    people, diemen, activities, contacts
):
    writer = people["sociaal_member"]
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        note(
            writer,
            municipality=diemen.municipality,
            activity=activities["financieel"],
            note_contact_person=contacts["houten"],
        )
    assert refused.value.message_dict == {
        "activity": ["Kies een activiteit uit de activiteiten die u kunt zien."],
        "note_contact_person": [
            "Kies als contactpersoon iemand met een functie bij uw eigen gemeente of bij de M50."
        ],
    }
    with pytest.raises(ValidationError) as refused:
        note(people["bureau"], note_contact_person=contacts["left"])
    assert refused.value.message_dict == {
        "note_contact_person": [
            "Kies als contactpersoon iemand met een lopende functie uit het relatieregister."
        ]
    }
    item = note(writer, municipality=diemen.municipality)
    with pytest.raises(ValidationError):
        services.item_update(actor=writer, item=item, activity=activities["financieel"])
    assert snapshot()[0] == sorted([(item.pk, item.title, None, None)])
    assert before[0] == []


def test_the_chair_names_what_the_writer_may_not_and_it_stays_when_the_writer_edits(
    client, people, diemen, sociaal, contacts
):
    writer, chair, bureau = people["sociaal_member"], people["sociaal_chair"], people["bureau"]
    # Organised by Sociaal, by invitation: its chair sees it, the writer (not invited) does not.
    meeting = plan(
        bureau, title="Rondetafel schuldhulp", organiser=sociaal, audience=Audience.INVITATION
    )
    item = note(writer, municipality=diemen.municipality, body=sociaal)
    services.item_submit(actor=writer, item=item)
    services.item_update(
        actor=chair, item=item, activity=meeting, note_contact_person=contacts["houten"]
    )
    services.item_reject(actor=chair, item=item, reason="Graag de kosten erbij.")
    client.force_login(writer)
    form = client.get(reverse("knowledge:edit", args=[item.pk]))
    offered = dict(choices(form, "activity"))
    assert offered[str(meeting.pk)] == "De huidige activiteit (die u niet kunt inzien)"
    assert "Rondetafel" not in form.content.decode()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Rondetafel" not in page
    assert reverse("activities:detail", args=[meeting.pk]) not in page
    response = client.post(
        reverse("knowledge:edit", args=[item.pk]),
        fields(
            title="Wijkteams, met kosten",
            municipality=str(diemen.municipality.pk),
            body=body_key(sociaal),
            activity=str(meeting.pk),
            note_contact_person=str(contacts["houten"].pk),
            note_cost="Twee fte",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.activity, item.note_contact_person) == (
        "Wijkteams, met kosten",
        meeting,
        contacts["houten"],
    )
    assert item.status == Status.REJECTED
    client.force_login(chair)
    assert "Rondetafel schuldhulp" in client.get(item.get_absolute_url()).content.decode()


# --- Writing through the API ---------------------------------------------------------------------


def api_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


NOTE = {
    "form": "notitie",
    "kind": "voorbeeld",
    "title": "Wijkteams in Diemen",
    "noteWhat": "Eén wijkteam per wijk.",
    "access": "netwerk",
}


def test_the_api_takes_the_activity_and_the_contact_person_by_number(
    people, diemen, activities, contacts
):
    api = api_of(people["sociaal_member"])
    body = {
        **NOTE,
        "municipality": diemen.municipality.code,
        "activityId": activities["public"].pk,
        "noteContactPersonId": contacts["diemen"].pk,
    }
    response = api.post(API, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["activityId"] == activities["public"].pk
    assert data["note"]["contactPersonId"] == contacts["diemen"].pk
    assert data["note"]["contact"] == str(contacts["diemen"])
    url = f"{API}/{data['id']}"
    changed = api.patch(
        url,
        {"activityId": None, "noteContactPersonId": contacts["m50"].pk},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert changed.status_code == 200, changed.content
    item = KnowledgeItem.objects.get(pk=data["id"])
    assert (item.activity, item.note_contact_person) == (None, contacts["m50"])
    assert APIClient().get(url).status_code == 404  # a network item: not for anonymous callers


def test_the_api_refuses_an_unseen_activity_and_a_person_not_to_be_named(
    people, diemen, activities, contacts
):
    api = api_of(people["sociaal_member"])
    own = {**NOTE, "municipality": diemen.municipality.code}
    before = snapshot()
    unseen = "Kies een activiteit uit de activiteiten die u kunt zien."
    for body, name, reason in (
        ({**own, "activityId": activities["financieel"].pk}, "activityId", unseen),
        # One that does not exist gets the same answer: who may not see it learns nothing.
        ({**own, "activityId": 987654}, "activityId", unseen),
        (
            {**own, "noteContactPersonId": contacts["houten"].pk},
            "noteContactPersonId",
            "Kies als contactpersoon iemand met een functie bij uw eigen gemeente of bij de M50.",
        ),
        (
            {**own, "noteContactPersonId": 987654},
            "noteContactPersonId",
            "Er is geen persoon 987654 in het relatieregister.",
        ),
    ):
        response = api.post(API, body, format="json")
        assert response.status_code == 400, response.content
        assert response["Content-Type"] == "application/problem+json"
        params = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
        assert params == {name: reason}, body
    assert snapshot() == before


# --- Cost ----------------------------------------------------------------------------------------


def populate(count: int, *, organisation) -> None:
    """``count`` activities for all members and ``count`` people working at ``organisation``,
    stored directly."""
    start = moment(2024, 1, 1)
    Activity.objects.bulk_create(
        Activity(
            kind=ActivityKind.GENERAL_MEETING,
            title=f"Bijeenkomst {n}",
            starts_at=start + datetime.timedelta(days=n),
            ends_at=start + datetime.timedelta(days=n, hours=2),
            audience=Audience.MEMBERS,
        )
        for n in range(count)
    )
    people = Person.objects.bulk_create(Person(surname=f"Persoon {n:05d}") for n in range(count))
    Position.objects.bulk_create(
        Position(person=person, organisation=organisation, function=Function.CIVIL_SERVANT)
        for person in people
    )


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["bureau", "sociaal_member", "sociaal_chair"])
def test_the_forms_cost_the_same_for_10_and_1000_activities_and_people(
    client, django_assert_num_queries, people, diemen, sociaal, activities, contacts, who
):
    user = people[who]
    item = note(people["bureau"], body=sociaal, activity=activities["members"])
    if who == "sociaal_member":
        item = note(user, municipality=diemen.municipality, note_contact_person=contacts["diemen"])
    urls = [reverse("knowledge:edit", args=[item.pk]), item.get_absolute_url()]
    if who != "sociaal_chair":
        urls.append(CREATE)
    populate(10, organisation=diemen)
    client.force_login(user)
    small = [queries_of(client, url) for url in urls]
    populate(990, organisation=diemen)
    client.force_login(user)
    for url, expected in zip(urls, small, strict=True):
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200
    form = client.get(urls[0]).context["form"]
    assert len(form["activity"].field.choices) > 1000
    assert len(form["note_contact_person"].field.choices) > 1000

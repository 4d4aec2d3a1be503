"""The pillars pages: the list, a pillar's and a group's page with its forms, per role and per
object; refusals as Dutch form errors (400) that write nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.pillars import services
from m50.pillars.models import (
    Participation,
    ParticipationRequest,
    Pillar,
    Topic,
    TopicStatus,
)
from m50.pillars.models import Role as PillarRole
from tests.factories import MunicipalityFactory, PersonFactory, ThemeGroupFactory, UserFactory
from tests.pillars.conftest import START, Function, official, user_of

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def chair(diemen, sociaal):
    """An alderman of Diemen chairing Sociaal."""
    position = official(diemen, person=PersonFactory(given_name="Anna", surname="Voorzitter"))
    services.participation_register(
        position=position, pillar=sociaal, role=PillarRole.CHAIR, start_date=START
    )
    return user_of(position)


@pytest.fixture
def member(houten, sociaal):
    """A policy advisor of Houten taking part in Sociaal."""
    position = official(
        houten,
        Function.POLICY_ADVISOR,
        person=PersonFactory(given_name="Bert", surname="Adviseur", email="bert@houten.nl"),
    )
    participation = services.participation_register(
        position=position, pillar=sociaal, start_date=START
    )
    return user_of(position), participation


@pytest.fixture
def topic(chair, sociaal):
    return services.topic_propose(
        pillar=sociaal, title="Jeugdzorg", owner=chair.person, description="Kosten en wachtlijsten"
    )


def participant(**kwargs):
    return UserFactory(role=Role.PARTICIPANT, municipality=MunicipalityFactory(), **kwargs)


def detail_url(body) -> str:
    if isinstance(body, Pillar):
        return reverse("pillars:detail", args=[body.slug])
    return reverse("pillars:group_detail", args=[body.slug])


def audit_count() -> int:
    return AuditEvent.objects.count()


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_both_generations_successions_and_unknown_dates(client, chair):
    response = client.get(reverse("pillars:list"))
    assert response.status_code == 200
    text = response.content.decode()
    for name in ("Ruimtelijk", "Sociaal", "Financieel", "Bestuur", "Duurzaamheid"):
        assert name in text
    assert "beëindigd, datum onbekend" in text
    assert "Werk ging naar" in text
    # Anonymous: the chair's municipality, not the person.
    assert "een bestuurder van Diemen" in text
    assert "Voorzitter" in text and "Anna" not in text


def test_the_list_names_the_chair_to_logged_in_users(client, chair):
    client.force_login(participant())
    text = client.get(reverse("pillars:list")).content.decode()
    assert "Anna Voorzitter (Diemen)" in text


def test_the_list_shows_theme_groups_of_a_pillar_and_of_the_network(client, sociaal):
    ThemeGroupFactory(pillar=sociaal, name="Jeugd", slug="jeugd")
    ThemeGroupFactory(pillar=None, name="Digitalisering", slug="digitalisering")
    text = client.get(reverse("pillars:list")).content.decode()
    assert "Themagroepen van de pijler Sociaal" in text
    assert reverse("pillars:group_detail", args=["jeugd"]) in text
    assert reverse("pillars:group_detail", args=["digitalisering"]) in text


def test_the_menu_links_to_the_pillars(client):
    text = client.get(reverse("municipalities:list")).content.decode()
    assert f'href="{reverse("pillars:list")}"' in text
    assert "Pijlers <small>" not in text


# --- A pillar's page --------------------------------------------------------------------------


def test_anonymous_visitors_see_purpose_chair_municipality_and_topics_but_no_people(
    client, chair, member, topic, sociaal
):
    response = client.get(detail_url(sociaal))
    assert response.status_code == 200
    text = response.content.decode()
    assert "een bestuurder van Diemen" in text
    assert "Jeugdzorg" in text
    for secret in ("Anna", "Bert", "Deelnemers", "Recente wijzigingen", "bert@houten.nl"):
        assert secret not in text


def test_logged_in_users_see_participants_by_municipality_and_recent_changes(
    client, chair, member, topic, sociaal
):
    client.force_login(participant())
    text = client.get(detail_url(sociaal)).content.decode()
    assert "Anna Voorzitter" in text and "Bert Adviseur" in text
    assert text.index("Diemen") < text.index("Houten")
    assert "Recente wijzigingen" in text
    assert "deelname geregistreerd" in text and "onderwerp voorgesteld" in text
    # Contact details only for the bureau and public affairs (DESIGN §2).
    assert "bert@houten.nl" not in text


def test_the_bureau_sees_contact_details(client, member, sociaal):
    client.force_login(UserFactory(role=Role.BUREAU))
    assert "bert@houten.nl" in client.get(detail_url(sociaal)).content.decode()


def test_an_ended_pillar_says_its_end_date_is_unknown(client):
    response = client.get(reverse("pillars:detail", args=["bestuur"]))
    assert response.status_code == 200
    assert "beëindigd, datum onbekend" in response.content.decode()


def test_an_unknown_pillar_is_404(client):
    assert client.get(reverse("pillars:detail", args=["bestaat-niet"])).status_code == 404
    assert client.get(reverse("pillars:group_detail", args=["bestaat-niet"])).status_code == 404


def test_a_theme_group_page(client, diemen, sociaal):
    group = ThemeGroupFactory(pillar=sociaal, name="Jeugd", slug="jeugd", purpose="Jeugdzorg")
    position = official(diemen, Function.POLICY_ADVISOR)
    services.participation_register(
        position=position, theme_group=group, role=PillarRole.CHAIR, start_date=START
    )
    client.force_login(participant())
    response = client.get(detail_url(group))
    assert response.status_code == 200
    text = response.content.decode()
    # Escaped as the page writes it: a generated surname may hold an apostrophe ("d'Heripon").
    assert "Themagroep Jeugd" in text and escape(position.person.full_name) in text
    assert reverse("pillars:detail", args=["sociaal"]) in text


def test_the_chair_sees_the_forms_others_do_not(client, chair, member, topic, sociaal):
    client.force_login(chair)
    text = client.get(detail_url(sociaal)).content.decode()
    assert reverse("pillars:edit", args=["sociaal"]) in text
    assert reverse("pillars:topic_status", args=[topic.pk]) in text
    client.force_login(member[0])
    text = client.get(detail_url(sociaal)).content.decode()
    assert reverse("pillars:edit", args=["sociaal"]) not in text
    assert reverse("pillars:topic_status", args=[topic.pk]) not in text
    assert reverse("pillars:topic_propose", args=["sociaal"]) in text


# --- The chair's forms ------------------------------------------------------------------------


def test_the_chair_edits_the_description(client, chair, sociaal):
    client.force_login(chair)
    response = client.post(
        reverse("pillars:edit", args=["sociaal"]), {"purpose": "Zorg, jeugd en werk."}
    )
    assert response.status_code == 302
    sociaal.refresh_from_db()
    assert sociaal.purpose == "Zorg, jeugd en werk."
    assert AuditEvent.objects.filter(action="pillar.update").exists()


def test_the_chair_adopts_a_topic_with_a_note(client, chair, topic):
    client.force_login(chair)
    response = client.post(
        reverse("pillars:topic_status", args=[topic.pk]),
        {"status": TopicStatus.ADOPTED, "note": "Past bij het jaarplan."},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ADOPTED
    assert topic.status_changes.last().note == "Past bij het jaarplan."


def test_a_status_the_topic_cannot_move_to_is_a_form_error(client, chair, topic):
    client.force_login(chair)
    before = audit_count()
    response = client.post(
        reverse("pillars:topic_status", args=[topic.pk]), {"status": TopicStatus.PROPOSED}
    )
    assert response.status_code == 400
    assert "Kies een waarde uit de lijst" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PROPOSED and audit_count() == before


def test_the_service_refusal_is_shown_in_dutch(client, chair, topic, sociaal):
    # Sociaal ends: its topics can only be closed; the form offered "adopt" before.
    services.pillar_end(pillar=sociaal, ended_on=D(2025, 1, 1))
    client.force_login(UserFactory(role=Role.BUREAU))
    before = audit_count()
    response = client.post(
        reverse("pillars:topic_status", args=[topic.pk]), {"status": TopicStatus.ADOPTED}
    )
    assert response.status_code == 400
    assert "loopt niet meer" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PROPOSED and audit_count() == before


def test_a_chair_of_one_pillar_is_refused_on_another_and_nothing_changes(
    client, chair, financieel, houten
):
    position = official(houten, Function.MAYOR)
    services.participation_register(position=position, pillar=financieel, start_date=START)
    other_topic = services.topic_propose(
        pillar=financieel, title="Gemeentefonds", owner=position.person
    )
    client.force_login(chair)
    before = audit_count()
    purpose = financieel.purpose
    assert (
        client.post(reverse("pillars:edit", args=["financieel"]), {"purpose": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("pillars:topic_status", args=[other_topic.pk]),
            {"status": TopicStatus.ADOPTED},
        ).status_code
        == 403
    )
    request = services.participation_request_create(
        position=official(houten, Function.ALDERMAN), pillar=financieel
    )
    before = audit_count()
    assert (
        client.post(
            reverse("pillars:request_handle", args=[request.pk]), {"decision": "accepteren"}
        ).status_code
        == 403
    )
    financieel.refresh_from_db()
    other_topic.refresh_from_db()
    request.refresh_from_db()
    assert financieel.purpose == purpose
    assert other_topic.status == TopicStatus.PROPOSED
    assert request.state == ParticipationRequest.State.PENDING
    assert audit_count() == before


def test_a_participant_who_is_not_the_chair_may_not_manage(client, member, topic, sociaal):
    client.force_login(member[0])
    assert (
        client.post(reverse("pillars:edit", args=["sociaal"]), {"purpose": "x"}).status_code == 403
    )
    assert (
        client.post(
            reverse("pillars:topic_status", args=[topic.pk]), {"status": TopicStatus.ADOPTED}
        ).status_code
        == 403
    )


# --- Proposing, joining, handling, leaving ----------------------------------------------------


def test_a_participant_proposes_a_topic(client, member, sociaal):
    client.force_login(member[0])
    response = client.post(
        reverse("pillars:topic_propose", args=["sociaal"]),
        {"title": "Armoede", "description": "Schulden bij jongeren"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(title="Armoede")
    assert topic.owner == member[1].position.person and topic.status == TopicStatus.PROPOSED


def test_a_topic_without_title_is_a_form_error(client, member):
    client.force_login(member[0])
    before = Topic.objects.count()
    response = client.post(reverse("pillars:topic_propose", args=["sociaal"]), {"title": ""})
    assert response.status_code == 400
    assert "Vul een titel in." in response.content.decode()
    assert Topic.objects.count() == before


def test_who_does_not_take_part_may_not_propose(client, houten, financieel, member):
    client.force_login(member[0])  # takes part in Sociaal, not in Financieel
    response = client.post(
        reverse("pillars:topic_propose", args=["financieel"]), {"title": "Gemeentefonds"}
    )
    assert response.status_code == 403
    assert not Topic.objects.filter(title="Gemeentefonds").exists()


def test_an_official_asks_to_join_and_the_chair_accepts(client, chair, houten, sociaal):
    position = official(houten, Function.MUNICIPAL_SECRETARY)
    official_user = user_of(position)
    client.force_login(official_user)
    page = client.get(detail_url(sociaal)).content.decode()
    assert reverse("pillars:join", args=["sociaal"]) in page
    response = client.post(
        reverse("pillars:join", args=["sociaal"]), {"position": position.pk, "note": "Graag"}
    )
    assert response.status_code == 302
    request = ParticipationRequest.objects.get(position=position)
    assert request.state == ParticipationRequest.State.PENDING
    page = client.get(detail_url(sociaal)).content.decode()
    assert "de voorzitter of het bureau beslist erover" in page
    assert reverse("pillars:join", args=["sociaal"]) not in page

    client.force_login(chair)
    assert "Graag" in client.get(detail_url(sociaal)).content.decode()
    response = client.post(
        reverse("pillars:request_handle", args=[request.pk]), {"decision": "accepteren"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == ParticipationRequest.State.ACCEPTED
    assert request.participation.category == "gemeentesecretaris"


def test_a_refusal_needs_a_reason(client, chair, houten, sociaal):
    request = services.participation_request_create(
        position=official(houten, Function.POLICY_ADVISOR), pillar=sociaal
    )
    client.force_login(chair)
    before = audit_count()
    response = client.post(
        reverse("pillars:request_handle", args=[request.pk]), {"decision": "afwijzen"}
    )
    assert response.status_code == 400
    assert "Geef de reden van de afwijzing." in response.content.decode()
    request.refresh_from_db()
    assert request.state == ParticipationRequest.State.PENDING and audit_count() == before
    response = client.post(
        reverse("pillars:request_handle", args=[request.pk]),
        {"decision": "afwijzen", "refusal_reason": "Eerst de gemeentesecretaris."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == ParticipationRequest.State.REFUSED
    # The official reads why, and may ask again.
    client.force_login(user_of(request.position))
    page = client.get(detail_url(sociaal)).content.decode()
    assert "afgewezen: Eerst de gemeentesecretaris." in page
    assert reverse("pillars:join", args=["sociaal"]) in page


def test_joining_twice_is_refused_in_dutch(client, houten, sociaal):
    position = official(houten, Function.POLICY_ADVISOR)
    services.participation_request_create(position=position, pillar=sociaal)
    client.force_login(user_of(position))
    before = ParticipationRequest.objects.count()
    response = client.post(reverse("pillars:join", args=["sociaal"]), {"position": position.pk})
    assert response.status_code == 400
    assert "die aanmelding loopt nog" in response.content.decode()
    assert ParticipationRequest.objects.count() == before


def test_one_cannot_ask_to_join_through_anothers_position(client, houten, diemen, sociaal):
    someone_else = official(diemen, Function.POLICY_ADVISOR)
    client.force_login(user_of(official(houten, Function.POLICY_ADVISOR)))
    response = client.post(reverse("pillars:join", args=["sociaal"]), {"position": someone_else.pk})
    assert response.status_code == 400
    assert not ParticipationRequest.objects.exists()


def test_a_participant_leaves(client, member, sociaal):
    user, participation = member
    client.force_login(user)
    url = reverse("pillars:participation_end", args=[participation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.end_date is not None
    assert participation.end_reason == Participation.EndReason.LEFT


def test_an_end_before_the_start_is_a_form_error(client, member):
    user, participation = member
    client.force_login(user)
    response = client.post(
        reverse("pillars:participation_end", args=[participation.pk]), {"end_date": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "vóór de begindatum" in response.content.decode()
    participation.refresh_from_db()
    assert participation.end_date is None


def test_another_participant_may_not_end_ones_participation(client, member, chair):
    _user, participation = member
    other = participant(person=PersonFactory())
    client.force_login(other)
    url = reverse("pillars:participation_end", args=[participation.pk])
    assert client.post(url, {}).status_code == 403
    participation.refresh_from_db()
    assert participation.end_date is None
    # ... the chair of the pillar may.
    client.force_login(chair)
    assert client.post(url, {}).status_code == 302


def test_a_theme_groups_chair_manages_the_group_not_its_pillar(client, diemen, sociaal):
    group = ThemeGroupFactory(pillar=sociaal, name="Jeugd", slug="jeugd")
    position = official(diemen, Function.POLICY_ADVISOR)
    services.participation_register(
        position=position, theme_group=group, role=PillarRole.CHAIR, start_date=START
    )
    client.force_login(user_of(position))
    response = client.post(
        reverse("pillars:group_edit", args=["jeugd"]), {"purpose": "Jeugdzorg en onderwijs"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.purpose == "Jeugdzorg en onderwijs"
    response = client.post(
        reverse("pillars:group_topic_propose", args=["jeugd"]), {"title": "Passend onderwijs"}
    )
    assert response.status_code == 302
    assert Topic.objects.get(title="Passend onderwijs").theme_group == group
    before = audit_count()
    assert (
        client.post(reverse("pillars:edit", args=["sociaal"]), {"purpose": "x"}).status_code == 403
    )
    assert audit_count() == before

"""The public affairs pages (issue 12): each renders for the roles that may read it, the
confidential note reaches no other role's HTML, forms refuse bad input in Dutch and write
nothing, and the theme, Kamerlid and motion pages cost the same queries for 10 and 1,000
motions."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.accounts.models import Role
from m50.publicaffairs import records
from m50.publicaffairs.models import (
    Decision,
    FollowUp,
    Interaction,
    Motion,
    MotionSubmitter,
    Vote,
    WatchMatch,
)
from tests.factories import MunicipalityFactory
from tests.publicaffairs.records_helpers import (
    audit_count,
    fractie,
    mp,
    statistics_refresh,
    theme,
    tk_motion,
)

pytestmark = pytest.mark.django_db

NOTE = "Geheim: de minister twijfelt"


@pytest.fixture
def lobbyist(user_for_role):
    return user_for_role(Role.PUBLIC_AFFAIRS, username="lobbyist")


@pytest.fixture
def world(lobbyist):
    """Wonen with a motion voted on by two fracties and in a roll call, two Kamerleden who
    submitted it, a work visit with a confidential note and a follow-up, and a match."""
    wonen = records.dossier_create(actor=lobbyist, theme=theme("wonen"), watch_terms=["woning"])
    records.position_add(actor=lobbyist, dossier=wonen, text="Meer woningen bouwen.")
    cda, vvd = fractie("CDA", seats=5), fractie("VVD", seats=24)
    diemen = MunicipalityFactory(name="Diemen", code="GM0384")
    bontenbal, jansen = mp("Bontenbal", cda, municipality=diemen), mp("Jansen", vvd)
    motion = tk_motion("Motie over betaalbare woningen")
    records.dossier_motion_link(actor=lobbyist, dossier=wonen, motion=motion)
    for member, role in [
        (bontenbal, MotionSubmitter.Role.SUBMITTER),
        (jansen, MotionSubmitter.Role.CO_SIGNER),
    ]:
        MotionSubmitter.objects.create(
            tk_id=uuid.uuid4(), motion=motion, member=member, role=role, name=str(member)
        )
    decision = Decision.objects.create(
        tk_id=uuid.uuid4(), motion=motion, result="Aangenomen", vote_count="29-0"
    )
    for party, kind in [(cda, "Voor"), (vvd, "Tegen")]:
        Vote.objects.create(
            tk_id=uuid.uuid4(),
            decision=decision,
            fractie=party,
            kind=kind,
            actor_name=party.abbreviation,
            actor_fractie=party.abbreviation,
            fractie_size=party.seats,
        )
    roll_call = Decision.objects.create(tk_id=uuid.uuid4(), motion=motion, result="Verworpen")
    Vote.objects.create(
        tk_id=uuid.uuid4(),
        decision=roll_call,
        member=jansen,
        tk_member_id=jansen.tk_id,
        kind="Voor",
        actor_name="Jansen",
        actor_fractie="VVD",
        mistake=True,
    )
    visit = records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.WORK_VISIT,
        date=datetime.date(2026, 11, 3),
        subject="Werkbezoek Diemen",
        municipality=diemen,
        members=[bontenbal, jansen],
        themes=[wonen.theme],
        confidential_note=NOTE,
    )
    follow_up = records.follow_up_create(
        actor=lobbyist, interaction=visit, description="Cijfers sturen", owner=lobbyist
    )
    match = WatchMatch.objects.create(dossier=wonen, motion=tk_motion("Motie woningbouw"))
    return {
        "dossier": wonen,
        "motion": motion,
        "member": jansen,
        "fractie": vvd,
        "visit": visit,
        "follow_up": follow_up,
        "match": match,
    }


def pages(world) -> list[str]:
    return [
        reverse("publicaffairs:overview"),
        reverse("publicaffairs:dossier", args=["wonen"]),
        reverse("publicaffairs:motion_list"),
        reverse("publicaffairs:motion_detail", args=[world["motion"].pk]),
        reverse("publicaffairs:member_list"),
        reverse("publicaffairs:member_detail", args=[world["member"].pk]),
        reverse("publicaffairs:fractie_list"),
        reverse("publicaffairs:fractie_detail", args=[world["fractie"].pk]),
        reverse("publicaffairs:interaction_list"),
        reverse("publicaffairs:interaction_detail", args=[world["visit"].pk]),
        reverse("publicaffairs:my_actions"),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_every_page_renders_for_every_role_and_the_note_only_for_pa_and_bureau(
    client, user_for_role, world, role
):
    client.force_login(user_for_role(role))
    sees_note = role in (Role.PUBLIC_AFFAIRS, Role.BUREAU)
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert (NOTE in response.text) == (
            sees_note and "contactmomenten/" in url and url.rstrip("/")[-1].isdigit()
        ), url


def test_a_visitor_is_sent_to_the_login_page(client, world):
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 302 and "/account/" in response.url, url


def test_the_motion_page_shows_the_votes_as_table_and_chart_and_the_roll_call(
    client, lobbyist, world
):
    client.force_login(lobbyist)
    html = client.get(reverse("publicaffairs:motion_detail", args=[world["motion"].pk])).text
    assert "Stemmen per fractie" in html
    assert "5 zetels voor, 24 zetels tegen" in html
    assert '<svg class="m50-chart m50-vote-chart" role="img"' in html
    assert 'class="m50-vote--for"' in html and 'class="m50-vote--against"' in html
    assert "Hoofdelijke stemming per Kamerlid" in html and "Vergissing" in html
    # No inline style or script (the CSP has no unsafe-inline); scripts come from files.
    assert 'style="' not in html and "<script>" not in html
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_the_stakeholder_map_shows_votes_committees_and_last_contact(client, lobbyist, world):
    client.force_login(lobbyist)
    html = client.get(reverse("publicaffairs:dossier", args=["wonen"])).text
    assert "Stakeholderkaart" in html
    assert "Bontenbal" in html and "Jansen" in html
    assert "3 november 2026" in html  # the work visit: last contact
    assert "1 voor, 0 tegen" in html and "0 voor, 1 tegen" in html


def test_the_lobbyist_accepts_a_match_and_a_participant_may_not(
    client, lobbyist, user_for_role, world
):
    match = world["match"]
    client.force_login(user_for_role(Role.PARTICIPANT))
    assert client.post(reverse("publicaffairs:match_accept", args=[match.pk])).status_code == 403
    client.force_login(lobbyist)
    response = client.post(reverse("publicaffairs:match_accept", args=[match.pk]))
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == WatchMatch.Status.ACCEPTED
    assert world["dossier"].motions.filter(pk=match.motion_id).exists()


def test_a_contact_with_bad_input_is_refused_in_dutch_and_nothing_written(client, lobbyist, world):
    client.force_login(lobbyist)
    before, audits = Interaction.objects.count(), audit_count()
    response = client.post(
        reverse("publicaffairs:interaction_create"),
        {"kind": Interaction.Kind.WORK_VISIT, "date": "32-13-2026", "subject": ""},
    )
    assert response.status_code == 400
    assert "Vul het onderwerp in." in response.text
    assert "Vul een geldige datum in" in response.text
    # A work visit without its municipality: the service refuses.
    response = client.post(
        reverse("publicaffairs:interaction_create"),
        {"kind": Interaction.Kind.WORK_VISIT, "date": "2026-12-01", "subject": "Bezoek"},
    )
    assert response.status_code == 400
    assert "Kies de gemeente van het werkbezoek." in response.text
    # What was typed comes back, the date as the browser's date field reads it.
    assert 'value="2026-12-01"' in response.text and 'value="Bezoek"' in response.text
    assert Interaction.objects.count() == before and audit_count() == audits


def test_a_follow_up_is_added_and_completed_by_its_owner(client, lobbyist, world):
    client.force_login(lobbyist)
    visit = world["visit"]
    url = reverse("publicaffairs:follow_up_create", args=[visit.pk])
    before = FollowUp.objects.count()
    response = client.post(url, {"description": "", "owner": lobbyist.pk})
    assert response.status_code == 400 and "Beschrijf de vervolgactie." in response.text
    assert FollowUp.objects.count() == before
    response = client.post(
        url, {"description": "Bellen", "owner": lobbyist.pk, "due_date": "2026-12-20"}
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(description="Bellen")
    assert "Bellen" in client.get(reverse("publicaffairs:my_actions")).text
    client.post(reverse("publicaffairs:follow_up_complete", args=[follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_a_participant_may_not_complete_anothers_follow_up(client, user_for_role, world):
    client.force_login(user_for_role(Role.PARTICIPANT))
    follow_up = world["follow_up"]
    client.post(reverse("publicaffairs:follow_up_complete", args=[follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_the_dossier_and_position_forms(client, lobbyist, world):
    client.force_login(lobbyist)
    audits = audit_count()
    response = client.post(
        reverse("publicaffairs:dossier_edit", args=["wonen"]),
        {"goals": "Bouwen", "watch_terms": "de het een"},
    )
    assert response.status_code == 200 and "vindt niets" in response.text
    assert audit_count() == audits
    response = client.post(reverse("publicaffairs:position_add", args=["wonen"]), {"text": ""})
    assert "Schrijf het standpunt." in response.text
    response = client.post(
        reverse("publicaffairs:position_add", args=["wonen"]), {"text": "Nieuw standpunt."}
    )
    assert response.status_code == 302
    version = world["dossier"].positions.get(number=2)
    client.post(reverse("publicaffairs:position_publish", args=["wonen", version.pk]))
    version.refresh_from_db()
    assert version.published


def _bulk_motions(dossier, member, decision_fractie, n: int) -> None:
    motions = Motion.objects.bulk_create(
        Motion(
            source=Motion.Source.TWEEDE_KAMER,
            tk_id=uuid.uuid4(),
            number=f"bulk-{i}",
            title=f"Motie {i}",
            date=datetime.date(2025, 1, 1),
        )
        for i in range(n)
    )
    dossier.motions.add(*motions)
    MotionSubmitter.objects.bulk_create(
        MotionSubmitter(tk_id=uuid.uuid4(), motion=m, member=member, role="submitter")
        for m in motions
    )
    decisions = Decision.objects.bulk_create(
        Decision(tk_id=uuid.uuid4(), motion=m, result="Aangenomen") for m in motions
    )
    Vote.objects.bulk_create(
        Vote(tk_id=uuid.uuid4(), decision=d, fractie=decision_fractie, kind="Voor", fractie_size=5)
        for d in decisions
    )
    statistics_refresh()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_theme_member_and_motion_pages_cost_the_same_for_10_and_1000_motions(
    client, lobbyist, world
):
    client.force_login(lobbyist)
    member, motion = world["member"], world["motion"]
    urls = [
        reverse("publicaffairs:dossier", args=["wonen"]),
        reverse("publicaffairs:member_detail", args=[member.pk]),
        reverse("publicaffairs:motion_detail", args=[motion.pk]),
        reverse("publicaffairs:motion_list"),
    ]
    _bulk_motions(world["dossier"], member, world["fractie"], 10)
    few = [_queries(client, url) for url in urls]
    _bulk_motions(world["dossier"], member, world["fractie"], 990)
    many = [_queries(client, url) for url in urls]
    assert few == many


def test_a_municipality_page_lists_the_kamerleden_living_there_and_the_contacts(
    client, user_for_role, world
):
    url = reverse("municipalities:detail", args=["GM0384"])
    assert "Kamerleden die in Diemen wonen" not in client.get(url).text  # a visitor
    client.force_login(user_for_role(Role.PARTICIPANT))
    html = client.get(url).text
    assert "Kamerleden die in Diemen wonen" in html and "Bontenbal" in html
    assert "Werkbezoek Diemen" in html and NOTE not in html


def test_the_lobbyist_starts_a_dossier_for_a_theme_without_one(client, lobbyist, world):
    from m50.publicaffairs.models import ThemeDossier

    client.force_login(lobbyist)
    url = reverse("publicaffairs:dossier_create")
    before, audits = ThemeDossier.objects.count(), audit_count()
    response = client.post(url, {"goals": "Doelen"})
    assert response.status_code == 400 and "Kies het thema van het dossier." in response.text
    # Wonen has a dossier already: it is not offered.
    response = client.post(url, {"theme": theme("wonen").pk})
    assert response.status_code == 400 and "Kies een thema zonder dossier" in response.text
    assert ThemeDossier.objects.count() == before and audit_count() == audits
    response = client.post(
        url, {"theme": theme("mobiliteit").pk, "goals": "Bereikbaarheid", "watch_terms": "spoor"}
    )
    assert response.status_code == 302
    dossier = ThemeDossier.objects.get(theme__slug="mobiliteit")
    assert dossier.watch_terms == ["spoor"] and dossier.goals == "Bereikbaarheid"


def test_a_motion_on_two_themes_counts_once_on_each_stakeholder_map(client, lobbyist, world):
    mobiliteit = records.dossier_create(actor=lobbyist, theme=theme("mobiliteit"))
    records.dossier_motion_link(actor=lobbyist, dossier=mobiliteit, motion=world["motion"])
    client.force_login(lobbyist)
    for slug in ("wonen", "mobiliteit"):
        html = client.get(reverse("publicaffairs:dossier", args=[slug])).text
        assert "1 voor, 0 tegen" in html and "0 voor, 1 tegen" in html, slug
        assert "2 voor" not in html and "2 tegen" not in html, slug


def test_the_start_page_flags_an_overdue_consultation_and_an_overdue_action(
    client, lobbyist, world
):
    from m50.contacts.models import Organisation
    from tests.factories import OrganisationFactory

    jv = OrganisationFactory(kind=Organisation.Kind.MINISTRY, name="Justitie en Veiligheid")
    series = records.series_create(
        actor=lobbyist, name="Halfjaarlijks overleg J&V", cadence_months=6, counterpart=jv
    )
    long_ago = timezone.localdate() - datetime.timedelta(days=300)
    records.interaction_create(
        actor=lobbyist,
        kind=Interaction.Kind.CONSULTATION,
        date=long_ago,
        subject="Ondermijning",
        series=series,
    )
    records.follow_up_create(
        actor=lobbyist,
        interaction=world["visit"],
        description="Verslag rondsturen",
        owner=lobbyist,
        due_date=long_ago,
    )
    client.force_login(lobbyist)
    html = client.get(reverse("publicaffairs:overview")).text
    assert "Terugkerend overleg over tijd" in html and "Halfjaarlijks overleg J&amp;V" in html
    assert "te laat" in html and "Verslag rondsturen" in html
    assert "Motie woningbouw" in html  # the match to judge, with its buttons
    assert reverse("publicaffairs:match_accept", args=[world["match"].pk]) in html


def test_the_vote_chart_scales_bars_to_the_largest_fractie():
    from m50.publicaffairs.charts import vote_chart

    assert vote_chart([]) is None
    chart = vote_chart([("VVD", "Tegen", 24), ("CDA", "Voor", 12), ("Leeg", "Voor", None)])
    assert [(bar.width, bar.css) for bar in chart.bars] == [
        ("300.0", "m50-vote--against"),
        ("150.0", "m50-vote--for"),
        ("0.0", "m50-vote--for"),
    ]

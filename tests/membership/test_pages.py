"""The membership pages through the test client: the dossier on a municipality's page, the
members overview and the deadlines page, for each kind of visitor, with their query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from m50.accounts.models import Role
from m50.membership import rules, services
from m50.membership.models import DecidingBody, DecisionKind
from tests.membership.builders import (
    aspirant,
    bulk_memberships,
    count_queries,
    detail_url,
    diemen,
    listed,
    merger,
    municipality,
    section,
    text,
    today,
)
from tests.municipalities.test_pages import assert_sound_headings

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("membership:overview")
DEADLINES = reverse("membership:deadlines")


def dossier_text(client, code: str = "GM0384") -> str:
    response = client.get(detail_url(code))
    assert response.status_code == 200
    return text(section(response.text, "lidmaatschap", "inwoners"))


# --- The dossier on the municipality page ---------------------------------------------------


def test_diemen_reads_aspirant_then_member_with_the_mandate_used_in_time(client):
    diemen()
    response = client.get(detail_url("GM0384"))
    assert_sound_headings(response.text)
    dossier = text(section(response.text, "lidmaatschap", "inwoners"))
    assert "Status lid sinds 16 mei 2023" in dossier
    assert "aspirant-lid vanaf 22 augustus 2022 tot 16 mei 2023" in dossier
    assert "lid sinds 16 mei 2023" in dossier
    assert "mandaat gebruikt binnen de termijn" in dossier
    assert (
        "De burgemeester besloot op 16 mei 2023 over definitief lidmaatschap, op grond van het "
        "mandaat van 22 augustus 2022 dat liep tot en met 22 augustus 2023." in dossier
    )
    # The timeline's kinds, bodies and dates are public.
    assert "aspirant-lidmaatschap mandaat voor de burgemeester tot en met 22 augustus 2023" in (
        dossier
    )
    assert "definitief lidmaatschap burgemeester 16-05-2023 16-05-2023 16-05-2023" in dossier


def test_anonymous_visitor_sees_no_documents_remarks_history_or_actions(client):
    diemen()
    dossier = dossier_text(client)
    assert "Collegebesluit aspirant-lidmaatschap M50" not in dossier
    assert "mandateert de burgemeester" not in dossier
    assert "Wijzigingsgeschiedenis" not in dossier
    assert "Voorstellen in behandeling" not in dossier
    assert "Corrigeren" not in dossier and "Besluit vastleggen" not in dossier


def test_bureau_sees_documents_remarks_history_and_the_actions(client, bureau_user):
    item = diemen()
    client.force_login(bureau_user)
    response = client.get(detail_url("GM0384"))
    assert_sound_headings(response.text)
    dossier = text(section(response.text, "lidmaatschap", "inwoners"))
    assert "Collegebesluit aspirant-lidmaatschap M50" in dossier
    assert "Informatie van de burgemeester: lidmaatschap M50" in dossier
    assert "mandateert de burgemeester" in dossier
    history = text(section(response.text, "wijzigingen", "inwoners"))
    assert history.count("besluit vastgelegd") == 2
    assert "referentiegegevens" in history  # who: the reference load
    assert "soort besluit: leeg → wordt definitief lidmaatschap" in history
    assert "besloten op: leeg → wordt 22 augustus 2022" in history
    assert "kenmerk document" not in history  # empty before and after: no line
    decision = item.membership.decisions.first()
    assert reverse("membership:decision_correct", args=[decision.pk]) in response.text
    assert reverse("membership:decision_withdraw", args=[decision.pk]) in response.text
    assert reverse("membership:decision_create", args=["GM0384"]) in response.text


def test_participant_of_another_municipality_sees_no_details(client, user_for_role):
    diemen()
    client.force_login(user_for_role(Role.PARTICIPANT))
    dossier = dossier_text(client)
    assert "lid sinds 16 mei 2023" in dossier
    assert "22 augustus 2022" in dossier
    assert "Collegebesluit aspirant-lidmaatschap M50" not in dossier
    assert "mandateert de burgemeester" not in dossier
    assert "Wijzigingsgeschiedenis" not in dossier


def test_participant_of_the_municipality_sees_the_details_but_no_actions(client, user_for_role):
    item = diemen()
    client.force_login(user_for_role(Role.PARTICIPANT, municipality=item))
    dossier = dossier_text(client)
    assert "Collegebesluit aspirant-lidmaatschap M50" in dossier
    assert "Wijzigingsgeschiedenis" in dossier
    assert "Corrigeren" not in dossier
    assert "Besluit voorstellen" not in dossier  # only the contact proposes


def test_member_contact_is_offered_to_propose_for_its_own_municipality_only(client, user_for_role):
    item = diemen()
    other = municipality("Houten", "GM0321")
    contact = user_for_role(Role.MEMBER_CONTACT, municipality=item)
    client.force_login(contact)
    own = client.get(detail_url("GM0384")).text
    assert reverse("membership:proposal_create", args=["GM0384"]) in own
    assert other.code not in section(own, "lidmaatschap", "inwoners")
    elsewhere = client.get(detail_url("GM0321")).text
    assert reverse("membership:proposal_create", args=["GM0321"]) not in elsewhere


def test_listed_member_is_known_since_the_list_without_invented_dates(client):
    listed(municipality("Houten", "GM0321"))
    dossier = dossier_text(client, "GM0321")
    assert (
        "lid, bekend als lid sinds 2023-04 (bron: website van het M50 (middelgrotegemeenten.nl), "
        "ledenlijst april 2023)" in dossier
    )
    assert "Er zijn geen besluitdata bij bedacht." in dossier


def test_municipality_without_membership_says_so(client, bureau_user):
    municipality("Zeist", "GM0355")
    assert "Er is geen lidmaatschap van het M50 vastgelegd." in dossier_text(client, "GM0355")
    client.force_login(bureau_user)
    html = client.get(detail_url("GM0355")).text
    assert reverse("membership:decision_create", args=["GM0355"]) in html


def test_running_mandate_shows_the_days_left(client):
    item = municipality("Houten", "GM0321")
    decided = today() - datetime.timedelta(days=100)
    aspirant(item, decided)
    days = (rules.add_one_year(decided) - today()).days
    dossier = dossier_text(client, "GM0321")
    assert "Status aspirant-lid sinds" in dossier
    assert f"nog {days} dagen" in dossier
    assert "mandaat verlopen" not in dossier


def test_expired_mandate_is_flagged(client):
    item = municipality("Houten", "GM0321")
    aspirant(
        item,
        today() - datetime.timedelta(days=400),
        mandate_deadline=today() - (datetime.timedelta(days=35)),
    )
    dossier = dossier_text(client, "GM0321")
    assert "mandaat verlopen 35 dagen geleden" in dossier
    assert "Na de uiterste datum kan alleen het college zelf nog besluiten." in dossier


def test_aspirant_without_mandate_is_told_the_college_decides(client):
    item = municipality("Houten", "GM0321")
    aspirant(item, today() - datetime.timedelta(days=10), mandated_body="")
    assert "het college besluit zelf over definitief lidmaatschap" in dossier_text(client, "GM0321")


def test_dossier_query_count_is_the_same_for_1_and_50_decisions(client, bureau_user):
    item = municipality("Houten", "GM0321")
    first = today() - datetime.timedelta(days=300)
    aspirant(item, first, actor=bureau_user)
    client.force_login(bureau_user)
    anonymous = client.__class__()
    bureau_one = count_queries(client, detail_url("GM0321"))
    anonymous_one = count_queries(anonymous, detail_url("GM0321"))

    membership = services.membership_for(municipality=item)
    for day in range(1, 49):  # 48 renewed mandates, then the definitive decision
        services.decision_record(
            membership=membership,
            kind=DecisionKind.MANDATE,
            deciding_body=DecidingBody.COLLEGE,
            decided_on=first + datetime.timedelta(days=day),
            mandated_body=DecidingBody.MAYOR,
            actor=bureau_user,
        )
    services.decision_record(
        membership=membership,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=first + datetime.timedelta(days=60),
        actor=bureau_user,
    )
    assert membership.decisions.count() == 50
    assert count_queries(client, detail_url("GM0321")) == bureau_one
    assert count_queries(anonymous, detail_url("GM0321")) == anonymous_one
    assert "mandaat gebruikt binnen de termijn" in dossier_text(client, "GM0321")


def test_dossier_query_count_is_the_same_at_10_and_1000_memberships(client, bureau_user):
    diemen()
    bulk_memberships(9, start=1000)
    client.force_login(bureau_user)
    small = count_queries(client, detail_url("GM0384"))
    bulk_memberships(990, start=2000)
    assert count_queries(client, detail_url("GM0384")) == small


# --- The members overview -------------------------------------------------------------------


@pytest.fixture
def members():
    diemen()
    listed(municipality("Houten", "GM0321", 50_500))
    listed(municipality("Kleindorp", "GM0999", 28_900))
    aspirant(municipality("Zeist", "GM0355", 66_000), today() - datetime.timedelta(days=100))
    ended = municipality("Oudstad", "GM0998", 31_000)
    aspirant(ended, datetime.date(2021, 3, 1))
    services.decision_record(
        membership=services.membership_for(municipality=ended),
        kind=DecisionKind.TERMINATION,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=datetime.date(2021, 6, 1),
    )
    municipality("Nietlid", "GM0997")


def overview_rows(html: str) -> dict[str, str]:
    """Municipality name → the text of its row in the overview table."""
    body = section(html, "leden-caption")
    body = body[: body.index("</table>")]
    result = {}
    for row in body.split('<tr class="utrecht-table__row">')[2:]:
        name = re.search(r'm50-cell-name" scope="row"><a [^>]*>([^<]+)</a>', row).group(1)
        result[name] = text(row)
    return result


def test_overview_is_public_and_lists_members_and_aspirants(client, members):
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert_sound_headings(response.text)
    rows = overview_rows(response.text)
    assert list(rows) == ["Diemen", "Houten", "Kleindorp", "Zeist"]
    assert rows["Diemen"].startswith("Diemen lid 16 mei 2023 32.977 (2024) binnen bandbreedte")
    assert "bekend sinds 2023-04" in rows["Houten"]
    assert "28.900 (2024) buiten bandbreedte" in rows["Kleindorp"]
    assert "aspirant-lid" in rows["Zeist"] and "burgemeester, tot en met" in rows["Zeist"]
    days = (rules.add_one_year(today() - datetime.timedelta(days=100)) - today()).days
    assert f"nog {days} dagen" in rows["Zeist"]
    assert "4 gemeenten" in text(response.text)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("lid", ["Diemen", "Houten", "Kleindorp"]),
        ("aspirant", ["Zeist"]),
        ("beeindigd", ["Oudstad"]),
    ],
)
def test_overview_filters_by_status(client, members, status, expected):
    response = client.get(OVERVIEW, {"status": status})
    assert list(overview_rows(response.text)) == expected
    assert f'<option value="{status}" selected>' in response.text


def test_overview_reports_an_invalid_status_and_lists_the_default(client, members):
    response = client.get(OVERVIEW, {"status": "vroeger"})
    assert response.status_code == 200
    assert "Kies een status uit de lijst; vroeger is geen geldige keuze." in response.text
    assert list(overview_rows(response.text)) == ["Diemen", "Houten", "Kleindorp", "Zeist"]


def test_overview_offers_both_exports_with_the_filter(client, members):
    html = client.get(OVERVIEW, {"status": "lid"}).text
    assert 'href="?status=lid&amp;formaat=csv"' in html
    assert 'href="?status=lid&amp;formaat=xlsx"' in html


def test_overview_pages_by_100_and_the_export_has_every_row(client):
    bulk_memberships(150)
    members = client.get(OVERVIEW, {"status": "lid"})
    assert "Pagina 1 van" not in members.text  # two thirds of 150: one page
    assert len(overview_rows(members.text)) == 100
    everyone = client.get(OVERVIEW)
    assert len(overview_rows(everyone.text)) == 100
    assert "Pagina 1 van 2 (gemeente 1 tot en met 100)." in text(everyone.text)
    assert 'href="?pagina=2"' in everyone.text
    second = client.get(OVERVIEW, {"pagina": 2})
    assert len(overview_rows(second.text)) == 50
    export = client.get(OVERVIEW, {"formaat": "csv", "pagina": 2})
    csv_lines = export.getvalue().splitlines()  # streamed
    assert len(csv_lines) == 1 + 150


def test_navigation_links_to_the_overview(client):
    html = client.get(reverse("core:home")).text
    assert f'<a class="m50-nav__link" href="{OVERVIEW}">Lidmaatschap</a>' in html


def test_overview_query_count_is_the_same_at_10_and_1000_memberships(client, user_for_role):
    bulk_memberships(10, start=1000)
    small = count_queries(client, OVERVIEW)
    small_csv = count_queries(client, OVERVIEW + "?formaat=csv")
    client.force_login(user_for_role(Role.BUREAU))
    small_bureau = count_queries(client, OVERVIEW)
    bulk_memberships(990, start=2000)
    assert count_queries(client, OVERVIEW) == small_bureau
    assert count_queries(client.__class__(), OVERVIEW) == small
    assert count_queries(client.__class__(), OVERVIEW + "?formaat=csv") == small_csv


# --- The deadlines page ---------------------------------------------------------------------


def test_deadlines_are_for_the_bureau_only(client, user_for_role):
    response = client.get(DEADLINES)
    assert response.status_code == 302
    for role in (Role.PARTICIPANT, Role.MEMBER_CONTACT, Role.PUBLIC_AFFAIRS):
        client.force_login(user_for_role(role))
        assert client.get(DEADLINES).status_code == 403


def test_deadlines_list_expired_mandates_first_then_fewest_days_left(client, bureau_user):
    aspirant(municipality("Later", "GM0301"), today() - datetime.timedelta(days=10))
    aspirant(municipality("Sooner", "GM0302"), today() - datetime.timedelta(days=300))
    aspirant(
        municipality("Expired", "GM0303"),
        today() - datetime.timedelta(days=400),
        mandate_deadline=today() - datetime.timedelta(days=3),
    )
    diemen()  # a member: not listed
    client.force_login(bureau_user)
    response = client.get(DEADLINES)
    assert_sound_headings(response.text)
    table = text(section(response.text, "mandaten", "voortzettingen"))
    assert table.index("Expired") < table.index("Sooner") < table.index("Later")
    assert "mandaat verlopen 3 dagen geleden" in table
    assert "Diemen" not in table


def test_deadlines_list_succession_and_pending_proposals(client, bureau_user, user_for_role):
    old = municipality("Oudstad", "GM0998")
    new = municipality("Nieuwstad", "GM1999")
    aspirant(old, datetime.date(2022, 3, 1))
    services.decision_record(
        membership=services.membership_for(municipality=old),
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=datetime.date(2022, 9, 1),
    )
    merger(old, new, datetime.date(2023, 1, 1))
    item = municipality("Houten", "GM0321")
    contact = user_for_role(Role.MEMBER_CONTACT, municipality=item)
    proposal = services.proposal_create(
        membership=services.membership_for(municipality=item),
        actor=contact,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=today() - datetime.timedelta(days=5),
        document_title="Collegebesluit M50",
    )
    client.force_login(bureau_user)
    html = client.get(DEADLINES).text
    successions = text(section(html, "voortzettingen", "voorstellen"))
    assert "Oudstad is op 1 januari 2023 opgegaan in Nieuwstad" in successions
    assert reverse("membership:succession_create", args=["GM1999"]) in html
    proposals = text(section(html, "voorstellen"))
    assert "Houten aspirant-lidmaatschap college van B&amp;W" in proposals
    assert "Collegebesluit M50" in proposals
    assert reverse("membership:proposal_confirm", args=[proposal.pk]) in html
    assert reverse("membership:proposal_reject", args=[proposal.pk]) in html


def test_deadlines_query_count_is_the_same_at_10_and_1000_memberships(client, bureau_user):
    old = municipality("Oudstad", "GM0998")
    aspirant(old, datetime.date(2022, 3, 1))
    merger(old, municipality("Nieuwstad", "GM1999"), datetime.date(2023, 1, 1))
    bulk_memberships(10, start=1000)
    client.force_login(bureau_user)
    small = count_queries(client, DEADLINES)
    bulk_memberships(990, start=2000)
    assert count_queries(client, DEADLINES) == small

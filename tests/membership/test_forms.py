"""The forms of the membership pages: the bureau records, corrects and withdraws decisions and
records successions; a member contact proposes, the bureau confirms or rejects. A refused
write shows every rule it broke and changes nothing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.membership import services
from m50.membership.models import (
    DecidingBody,
    Decision,
    DecisionKind,
    DecisionProposal,
    Membership,
)
from tests.membership.builders import (
    aspirant,
    detail_url,
    diemen,
    merger,
    municipality,
    section,
    text,
    today,
)
from tests.municipalities.test_pages import assert_sound_headings

pytestmark = pytest.mark.django_db


def create_url(code: str) -> str:
    return reverse("membership:decision_create", args=[code])


def correct_url(decision: Decision) -> str:
    return reverse("membership:decision_correct", args=[decision.pk])


def withdraw_url(decision: Decision) -> str:
    return reverse("membership:decision_withdraw", args=[decision.pk])


def propose_url(code: str) -> str:
    return reverse("membership:proposal_create", args=[code])


def error_summary(html: str) -> str:
    match = re.search(
        r'<div class="utrecht-alert utrecht-alert--error m50-error-summary".*?</ul>', html, re.S
    )
    assert match, "no error summary on the page"
    return text(match.group(0)).replace(" :", ":")


def decision_data(**values) -> dict:
    data = {
        "kind": DecisionKind.ASPIRANT,
        "deciding_body": DecidingBody.COLLEGE,
        "decided_on": "2022-08-22",
        "effective_on": "",
        "announced_on": "",
        "mandated_body": DecidingBody.MAYOR,
        "mandate_deadline": "",
        "document_title": "Collegebesluit aspirant-lidmaatschap",
        "document_number": "Z-2022-123",
        "document_url": "https://houten.example/besluit",
        "remarks": "Proefjaar",
    }
    data.update(values)
    return data


@pytest.fixture
def houten():
    return municipality("Houten", "GM0321")


@pytest.fixture
def bureau(client, bureau_user):
    client.force_login(bureau_user)
    return client


# --- Recording a decision -------------------------------------------------------------------


def test_form_explains_the_rules_it_enforces(bureau, houten):
    response = bureau.get(create_url("GM0321"))
    assert response.status_code == 200
    html = response.text
    assert_sound_headings(html)
    words = text(html)
    assert "Leeg laten: één jaar na de besluitdatum" in words
    assert "het college kan altijd zelf besluiten" in words
    assert "een opzegging gaat in aan het eind van het kalenderjaar" in words
    assert "direct toetreden staat de netwerkregeling niet toe" in words
    assert "Voor Houten is nog geen lidmaatschap vastgelegd" in words
    # Labels, help texts and the inputs are tied together for assistive technology.
    assert '<label class="utrecht-form-label" for="id_mandate_deadline">' in html
    assert 'id="id_mandate_deadline_helptext"' in html
    assert re.search(
        r'<input type="date"[^>]*aria-describedby="id_mandate_deadline_helptext"', html
    )
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<form method="post"' in html


def test_bureau_records_a_decision_and_is_sent_to_the_dossier(bureau, houten, bureau_user):
    response = bureau.post(create_url("GM0321"), decision_data())
    assert response.status_code == 302
    assert response.url == detail_url("GM0321") + "#lidmaatschap"
    decision = Decision.objects.get()
    assert decision.membership.municipality == houten
    assert decision.effective_on == datetime.date(2022, 8, 22)  # default: the decision date
    assert decision.mandate_deadline == datetime.date(2023, 8, 22)  # default: a year later
    assert decision.recorded_by == bureau_user
    event = AuditEvent.objects.get(action="decision.record")
    assert event.actor == bureau_user and event.origin == "webformulier"

    page = bureau.get(response.url).text
    assert "Het besluit is vastgelegd: aspirant-lidmaatschap van 22 augustus 2022." in page
    assert "Collegebesluit aspirant-lidmaatschap" in page


def test_refused_decision_shows_every_broken_rule_and_writes_nothing(bureau, houten):
    before = (Decision.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    response = bureau.post(
        create_url("GM0321"),
        decision_data(
            kind=DecisionKind.DEFINITIVE,
            deciding_body=DecidingBody.MAYOR,
            mandated_body="",
            effective_on="2022-08-01",
        ),
    )
    assert response.status_code == 200
    summary = error_summary(response.text)
    assert "Definitief lidmaatschap volgt op een aspirant-lidmaatschap" in summary
    assert "De burgemeester heeft geen mandaat om over definitief lidmaatschap te besluiten" in (
        summary
    )
    assert "Een besluit kan niet ingaan vóór de datum waarop het is genomen." in summary
    # Each refusal links to the field it is about.
    assert (
        '<a class="utrecht-link utrecht-link--html-a" href="#id_effective_on">Gaat in op</a>'
        in (response.text)
    )
    assert 'aria-describedby="id_effective_on_helptext id_effective_on_error"' in response.text
    assert "<title>Fout:" in response.text
    after = (Decision.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    assert after == before
    # What was entered is kept.
    assert 'value="2022-08-01"' in response.text


def test_definitive_decision_after_the_mandate_ran_out_is_refused(bureau, houten):
    aspirant(houten, datetime.date(2022, 8, 22))
    before = Decision.objects.count()
    response = bureau.post(
        create_url("GM0321"),
        decision_data(
            kind=DecisionKind.DEFINITIVE,
            deciding_body=DecidingBody.MAYOR,
            decided_on="2023-08-23",
            mandated_body="",
        ),
    )
    assert (
        "Het mandaat liep tot en met 22 augustus 2023; na die datum kan alleen het college "
        "zelf nog besluiten." in error_summary(response.text)
    )
    assert Decision.objects.count() == before
    # On the deadline day itself the mayor may still decide.
    response = bureau.post(
        create_url("GM0321"),
        decision_data(
            kind=DecisionKind.DEFINITIVE,
            deciding_body=DecidingBody.MAYOR,
            decided_on="2023-08-22",
            mandated_body="",
        ),
    )
    assert response.status_code == 302
    assert Decision.objects.count() == before + 1


def test_invalid_input_is_reported_per_field_in_dutch(bureau, houten):
    response = bureau.post(
        create_url("GM0321"),
        decision_data(kind="", decided_on="32-13-2022", document_url="geen adres"),
    )
    summary = error_summary(response.text)
    assert "Soort besluit: Maak een keuze." in summary
    assert "Besloten op: Vul een datum in als dag-maand-jaar, bijvoorbeeld 22-08-2022." in summary
    assert "Link naar het document: Vul een volledig webadres in" in summary
    assert Decision.objects.count() == 0


def test_dutch_dates_are_accepted(bureau, houten):
    response = bureau.post(create_url("GM0321"), decision_data(decided_on="22-08-2022"))
    assert response.status_code == 302
    assert Decision.objects.get().decided_on == datetime.date(2022, 8, 22)


def test_post_without_csrf_token_is_refused(bureau_user, houten):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau_user)
    assert client.post(create_url("GM0321"), decision_data()).status_code == 403
    assert Decision.objects.count() == 0


@pytest.mark.parametrize("role", [Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR, Role.PARTICIPANT])
def test_only_the_bureau_records(client, user_for_role, houten, role):
    client.force_login(user_for_role(role))
    assert client.get(create_url("GM0321")).status_code == 403
    assert client.post(create_url("GM0321"), decision_data()).status_code == 403
    assert Decision.objects.count() == 0


def test_anonymous_visitor_is_sent_to_the_login(client, houten):
    response = client.post(create_url("GM0321"), decision_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_unknown_municipality_is_404(bureau):
    assert bureau.get(create_url("GM9999")).status_code == 404


# --- Correction and withdrawal ----------------------------------------------------------------


def test_correction_is_prefilled_and_shows_in_timeline_and_history(bureau, houten):
    original = aspirant(houten, datetime.date(2022, 8, 22), document_title="Besluit")
    form = bureau.get(correct_url(original)).text
    assert 'value="2022-08-22"' in form
    assert '<option value="mayor" selected>' in form
    assert "De velden hieronder zijn ermee ingevuld." in text(form)

    response = bureau.post(correct_url(original), decision_data(decided_on="2022-08-23"))
    assert response.status_code == 302
    correction = Decision.objects.get(corrects=original)
    assert correction.decided_on == datetime.date(2022, 8, 23)
    original.refresh_from_db()
    assert original.decided_on == datetime.date(2022, 8, 22)  # history is never edited

    html = bureau.get(detail_url("GM0321")).text
    row = section(html, f"besluit-{original.pk}", f"besluit-{correction.pk}")
    assert "gecorrigeerd" in row
    assert f'href="#besluit-{correction.pk}"' in row
    assert f'href="#besluit-{original.pk}"' in section(html, f"besluit-{correction.pk}")
    history = text(section(html, "wijzigingen", "inwoners"))
    assert "besluit gecorrigeerd" in history
    assert "besloten op: 22 augustus 2022 → wordt 23 augustus 2022" in history
    assert "Status aspirant-lid sinds 23 augustus 2022" in text(html)


def test_withdrawal_needs_a_reason_and_then_marks_the_decision(bureau, houten):
    decision = aspirant(houten, datetime.date(2022, 8, 22))
    response = bureau.post(withdraw_url(decision), {"reason": "  "})
    assert "Reden van intrekking: Vul dit veld in." in error_summary(response.text)
    assert Decision.objects.count() == 1

    response = bureau.post(
        withdraw_url(decision), {"reason": "Vastgelegd bij de verkeerde gemeente"}
    )
    assert response.status_code == 302
    html = bureau.get(detail_url("GM0321")).text
    row = section(html, f"besluit-{decision.pk}")
    assert "<s>aspirant-lidmaatschap</s>" in row
    assert "ingetrokken" in row and "telt niet mee" in row
    assert "Reden: Vastgelegd bij de verkeerde gemeente" in row
    assert "Status geen lid" in text(html)
    assert "besluit ingetrokken" in text(section(html, "wijzigingen", "inwoners"))
    # A withdrawn decision offers no more actions.
    assert correct_url(decision) not in html


def test_a_decision_is_corrected_only_once(bureau, houten):
    original = aspirant(houten, datetime.date(2022, 8, 22))
    correction = services.decision_correct(
        decision=original,
        decided_on=datetime.date(2022, 8, 23),
        effective_on=datetime.date(2022, 8, 23),
    )
    before = Decision.objects.count()
    page = bureau.get(correct_url(original))
    assert page.status_code == 200
    assert "Dit besluit is al gecorrigeerd." in page.text
    assert correct_url(correction) in page.text
    response = bureau.post(correct_url(original), decision_data())
    assert response.status_code == 409
    assert bureau.post(withdraw_url(original), {"reason": "x"}).status_code == 409
    assert Decision.objects.count() == before


# --- Succession -------------------------------------------------------------------------------


def test_bureau_records_the_proposed_succession(bureau):
    old = municipality("Oudstad", "GM0998")
    new = municipality("Nieuwstad", "GM1999")
    aspirant(old, datetime.date(2022, 3, 1))
    merger(old, new, datetime.date(2023, 1, 1))
    form = bureau.get(reverse("membership:succession_create", args=["GM1999"])).text
    assert '<option value="GM0998">Oudstad (opgeheven op 1 januari 2023)</option>' in form
    assert "zet de status voort die de voorganger de dag ervoor had" in text(form)
    response = bureau.post(
        reverse("membership:succession_create", args=["GM1999"]),
        {
            "predecessor": "GM0998",
            "deciding_body": DecidingBody.COLLEGE,
            "decided_on": "2022-12-15",
            "document_title": "Besluit voortzetting",
        },
    )
    assert response.status_code == 302
    succession = Decision.objects.get(kind=DecisionKind.SUCCESSION)
    assert succession.membership.municipality == new
    assert succession.effective_on == datetime.date(2023, 1, 1)
    dossier = text(section(bureau.get(detail_url("GM1999")).text, "lidmaatschap", "inwoners"))
    assert "aspirant-lid sinds 1 januari 2023" in dossier
    assert "voortzetting van het lidmaatschap van Oudstad" in dossier


def test_succession_form_without_a_proposal_says_so(bureau, houten):
    html = bureau.get(reverse("membership:succession_create", args=["GM0321"])).text
    assert "Er is geen voortzetting voor te stellen" in text(html)
    assert '<form method="post" class="utrecht-form"' not in html


# --- Proposals --------------------------------------------------------------------------------


@pytest.fixture
def contact(client, user_for_role, houten):
    user = user_for_role(Role.MEMBER_CONTACT, municipality=houten)
    client.force_login(user)
    return user


def test_member_contact_proposes_for_its_own_municipality(client, contact, houten):
    assert client.get(propose_url("GM0321")).status_code == 200
    response = client.post(propose_url("GM0321"), decision_data())
    assert response.status_code == 302
    proposal = DecisionProposal.objects.get()
    assert proposal.state == DecisionProposal.State.PENDING
    assert proposal.proposed_by == contact
    assert Decision.objects.count() == 0  # nothing in the dossier until the bureau confirms
    html = client.get(response.url).text
    assert "Uw voorstel is ingediend" in html
    assert "Collegebesluit aspirant-lidmaatschap" in text(section(html, "voorstellen", "inwoners"))


def test_member_contact_may_not_propose_for_another_municipality(client, contact):
    municipality("Zeist", "GM0355")
    assert client.get(propose_url("GM0355")).status_code == 403
    assert client.post(propose_url("GM0355"), decision_data()).status_code == 403
    assert DecisionProposal.objects.count() == 0


def test_proposal_needs_the_document(client, contact):
    response = client.post(propose_url("GM0321"), decision_data(document_title=""))
    assert "Titel van het document: Vul dit veld in." in error_summary(response.text)
    assert DecisionProposal.objects.count() == 0
    assert Membership.objects.count() == 0


def test_proposal_that_contradicts_the_dossier_is_refused(client, contact, houten):
    aspirant(houten, today() - datetime.timedelta(days=30))
    response = client.post(
        propose_url("GM0321"), decision_data(decided_on=today().isoformat(), mandated_body="")
    )
    assert "Er loopt al een aspirant-lidmaatschap" in error_summary(response.text)
    assert DecisionProposal.objects.count() == 0


def _proposal(houten, contact, **values):
    data = {
        "kind": DecisionKind.ASPIRANT,
        "deciding_body": DecidingBody.COLLEGE,
        "decided_on": datetime.date(2022, 8, 22),
        "mandated_body": DecidingBody.MAYOR,
        "document_title": "Collegebesluit",
    }
    data.update(values)
    return services.proposal_create(
        membership=services.membership_for(municipality=houten), actor=contact, **data
    )


def test_bureau_confirms_a_proposal(client, user_for_role, houten, bureau_user):
    proposal = _proposal(houten, user_for_role(Role.MEMBER_CONTACT, municipality=houten))
    client.force_login(bureau_user)
    page = client.get(reverse("membership:proposal_confirm", args=[proposal.pk]))
    assert page.status_code == 200
    assert_sound_headings(page.text)
    assert "Collegebesluit" in page.text
    response = client.post(reverse("membership:proposal_confirm", args=[proposal.pk]))
    assert response.status_code == 302
    assert response.url == reverse("membership:deadlines") + "#voorstellen"
    proposal.refresh_from_db()
    assert proposal.state == DecisionProposal.State.CONFIRMED
    assert proposal.decision.decided_on == datetime.date(2022, 8, 22)
    assert proposal.handled_by == bureau_user
    dossier = text(section(client.get(detail_url("GM0321")).text, "lidmaatschap", "inwoners"))
    assert "aspirant-lid sinds 22 augustus 2022" in dossier
    assert "voorstel bevestigd" in dossier


def test_confirming_checks_the_rules_again(client, user_for_role, houten, bureau_user):
    proposal = _proposal(houten, user_for_role(Role.MEMBER_CONTACT, municipality=houten))
    aspirant(houten, datetime.date(2022, 9, 1))  # recorded by the bureau in the meantime
    before = Decision.objects.count()
    client.force_login(bureau_user)
    response = client.post(reverse("membership:proposal_confirm", args=[proposal.pk]))
    assert response.status_code == 200
    assert "Het voorstel is niet bevestigd" in response.text
    assert "Dit besluit gaat in vóór het laatste besluit in het dossier" in error_summary(
        response.text
    )
    proposal.refresh_from_db()
    assert proposal.state == DecisionProposal.State.PENDING
    assert Decision.objects.count() == before


def test_bureau_rejects_a_proposal_with_a_reason(client, user_for_role, houten, bureau_user):
    proposal = _proposal(houten, user_for_role(Role.MEMBER_CONTACT, municipality=houten))
    client.force_login(bureau_user)
    url = reverse("membership:proposal_reject", args=[proposal.pk])
    response = client.post(url, {"reason": ""})
    assert "Reden van afwijzing: Vul dit veld in." in error_summary(response.text)
    response = client.post(url, {"reason": "Het document ontbreekt"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == DecisionProposal.State.REJECTED
    assert proposal.rejection_reason == "Het document ontbreekt"
    assert Decision.objects.count() == 0
    # Handled: the pages say so and offer no buttons.
    page = client.get(reverse("membership:proposal_confirm", args=[proposal.pk])).text
    assert "Dit voorstel is al behandeld." in page
    assert "Voorstel bevestigen en vastleggen" not in page
    response = client.post(reverse("membership:proposal_confirm", args=[proposal.pk]))
    assert "Dit voorstel is al behandeld." in error_summary(response.text)


def test_member_contact_cannot_confirm_its_own_proposal(client, contact, houten):
    proposal = _proposal(houten, contact)
    assert client.post(reverse("membership:proposal_confirm", args=[proposal.pk])).status_code == (
        403
    )
    proposal.refresh_from_db()
    assert proposal.state == DecisionProposal.State.PENDING


def test_diemen_dossier_can_be_extended_by_the_bureau(bureau):
    diemen()
    response = bureau.post(
        create_url("GM0384"),
        decision_data(
            kind=DecisionKind.TERMINATION,
            decided_on="2025-03-01",
            mandated_body="",
            effective_on="",
        ),
    )
    assert response.status_code == 302
    termination = Decision.objects.get(kind=DecisionKind.TERMINATION)
    assert termination.effective_on == datetime.date(2026, 1, 1)  # end of the calendar year

"""A proposal's fate reaches its proposer (page and e-mail), the bureau hears of new ones, and
the succession action is offered only where a succession can be recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.membership import services
from m50.membership.models import DecidingBody, DecisionKind
from m50.municipalities.models import BoundaryChange
from tests.membership.builders import (
    aspirant,
    count_queries,
    detail_url,
    merger,
    municipality,
    section,
    text,
    today,
)

pytestmark = pytest.mark.django_db

REASON = "Het document is een concept; stuur het getekende besluit."


@pytest.fixture
def houten():
    return municipality("Houten", "GM0321")


@pytest.fixture
def contact(houten, user_for_role):
    return user_for_role(
        Role.MEMBER_CONTACT,
        municipality=houten,
        first_name="Carla",
        last_name="Contact",
        email="carla@houten.example",
    )


def propose(houten, contact, **changes):
    values = {
        "kind": DecisionKind.ASPIRANT,
        "deciding_body": DecidingBody.COLLEGE,
        "decided_on": today() - datetime.timedelta(days=5),
        "document_title": "Collegebesluit M50",
        **changes,
    }
    return services.proposal_create(
        membership=services.membership_for(municipality=houten), actor=contact, **values
    )


def test_the_bureau_is_told_of_a_new_proposal(
    houten, contact, user_for_role, settings, django_capture_on_commit_callbacks
):
    user_for_role(Role.BUREAU, email="bea@m50.example")
    user_for_role(Role.BUREAU, email="")  # no address: skipped
    user_for_role(Role.BUREAU, email="oud@m50.example", is_active=False)
    user_for_role(Role.PUBLIC_AFFAIRS, email="pa@m50.example")
    settings.M50_BUREAU_NOTIFY_EMAILS = ["secretariaat@m50.example"]
    with django_capture_on_commit_callbacks(execute=True):
        propose(houten, contact, document_number="Z-24-1")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bea@m50.example", "secretariaat@m50.example"]
    assert message.subject == "Nieuw voorstel van Houten: aspirant-lidmaatschap"
    assert "Carla Contact van de gemeente Houten stelt een besluit voor" in message.body
    assert "Collegebesluit M50 (kenmerk Z-24-1)" in message.body
    assert "besloten door het college van B&W op" in message.body
    assert "/lidmaatschap/termijnen/#voorstellen" in message.body


def test_a_refused_proposal_mails_nobody(houten, contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.DecisionRefused):
        propose(houten, contact, deciding_body=DecidingBody.MAYOR)
    assert mail.outbox == []


def test_the_rejection_and_its_reason_are_mailed_and_audited(
    houten, contact, bureau_user, user_for_role, django_capture_on_commit_callbacks
):
    colleague = user_for_role(Role.MEMBER_CONTACT, municipality=houten, email="co@houten.example")
    user_for_role(Role.PARTICIPANT, municipality=houten, email="deelnemer@houten.example")
    proposal = propose(houten, contact)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_reject(proposal=proposal, reason=REASON, actor=bureau_user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == sorted(["carla@houten.example", colleague.email])
    assert message.subject == "Uw voorstel is afgewezen: aspirant-lidmaatschap"
    assert f"Reden van de afwijzing:\n{REASON}" in message.body
    assert "/gemeenten/GM0321/#voorstellen" in message.body
    event = AuditEvent.objects.get(action="proposal.reject")
    assert event.changes["rejection_reason"] == {"old": "", "new": REASON}


def test_the_confirmation_is_mailed(
    houten, contact, bureau_user, django_capture_on_commit_callbacks
):
    proposal = propose(houten, contact)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_confirm(proposal=proposal, actor=bureau_user)
    assert [m.subject for m in mail.outbox] == ["Uw voorstel is bevestigd: aspirant-lidmaatschap"]
    assert "bevestigd en vastgelegd in het dossier van uw gemeente" in mail.outbox[0].body


def test_the_proposer_who_left_is_not_mailed(
    houten, contact, bureau_user, django_capture_on_commit_callbacks
):
    proposal = propose(houten, contact)
    contact.is_active = False
    contact.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_reject(proposal=proposal, reason=REASON, actor=bureau_user)
    assert mail.outbox == []


def test_a_rejection_through_the_page_mails_the_contact(
    client, houten, contact, bureau_user, django_capture_on_commit_callbacks
):
    proposal = propose(houten, contact)
    client.force_login(bureau_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("membership:proposal_reject", args=[proposal.pk]), {"reason": REASON}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["carla@houten.example"]]


def test_the_contact_sees_the_rejection_reason_on_its_municipality_page(
    client, houten, contact, bureau_user, user_for_role
):
    rejected = propose(houten, contact)
    services.proposal_reject(proposal=rejected, reason=REASON, actor=bureau_user)
    confirmed = propose(houten, contact, document_title="Getekend collegebesluit")
    services.proposal_confirm(proposal=confirmed, actor=bureau_user)
    client.force_login(contact)
    html = text(section(client.get(detail_url("GM0321")).text, "afgehandelde-voorstellen"))
    assert "afgewezen aspirant-lidmaatschap, besloten door het college van B&amp;W" in html
    assert f"Reden van afwijzing: {REASON}" in html
    assert "bevestigd aspirant-lidmaatschap" in html
    assert "(Getekend collegebesluit)" in html and "Het besluit staat in het dossier." in html
    # The reason is the municipality's business: not for the public or another municipality.
    client.logout()
    assert REASON not in client.get(detail_url("GM0321")).text
    client.force_login(user_for_role(Role.PARTICIPANT))
    assert REASON not in client.get(detail_url("GM0321")).text


def test_dossier_query_count_is_the_same_for_1_and_30_handled_proposals(
    client, houten, contact, bureau_user
):
    services.membership_for(municipality=houten)
    proposal = propose(houten, contact)
    services.proposal_reject(proposal=proposal, reason=REASON, actor=bureau_user)
    client.force_login(contact)
    one = count_queries(client, detail_url("GM0321"))
    for number in range(29):
        proposal = propose(houten, contact, document_title=f"Besluit {number}")
        services.proposal_reject(proposal=proposal, reason=REASON, actor=bureau_user)
    assert count_queries(client, detail_url("GM0321")) == one


# --- The succession action ------------------------------------------------------------------

SUCCESSION_LABEL = "Voortzetting na herindeling vastleggen"


def member(item, decided=datetime.date(2021, 3, 1)):
    aspirant(item, decided)
    services.decision_record(
        membership=services.membership_for(municipality=item),
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=decided + datetime.timedelta(days=100),
    )


def offers_succession(client, code: str) -> bool:
    html = client.get(detail_url(code)).text
    return reverse("membership:succession_create", args=[code]) in html


def test_succession_is_offered_to_the_successor_of_a_member_only(client, bureau_user):
    client.force_login(bureau_user)
    old, new = municipality("Oudstad", "GM0998"), municipality("Nieuwstad", "GM1999")
    member(old)
    merger(old, new, datetime.date(2023, 1, 1))
    assert offers_succession(client, "GM1999")
    assert SUCCESSION_LABEL in client.get(detail_url("GM1999")).text

    # The successor of a municipality that was not a member: nothing to continue.
    never, other = municipality("Nooitlid", "GM0997"), municipality("Anderstad", "GM1998")
    merger(never, other, datetime.date(2023, 1, 1))
    assert not offers_succession(client, "GM1998")
    # A boundary correction is no merger.
    giver, taker = municipality("Gever", "GM0996"), municipality("Nemer", "GM1997")
    member(giver)
    giver.dissolved_on = datetime.date(2023, 1, 1)
    giver.save(update_fields=["dissolved_on"])
    services.memberships_dissolution_refresh(municipality_ids=[giver.pk])
    BoundaryChange.objects.create(
        effective_on=datetime.date(2023, 1, 1),
        kind=BoundaryChange.Kind.BOUNDARY_CORRECTION,
        successor=taker,
        predecessor=giver,
    )
    assert not offers_succession(client, "GM1997")


def test_succession_is_not_offered_once_recorded_or_to_others(client, bureau_user, user_for_role):
    old, new = municipality("Oudstad", "GM0998"), municipality("Nieuwstad", "GM1999")
    member(old)
    merger(old, new, datetime.date(2023, 1, 1))
    client.force_login(user_for_role(Role.PUBLIC_AFFAIRS))
    assert not offers_succession(client, "GM1999")
    client.force_login(bureau_user)
    services.decision_record(
        membership=services.membership_for(municipality=new),
        kind=DecisionKind.SUCCESSION,
        deciding_body=DecidingBody.BOARD,
        decided_on=datetime.date(2023, 2, 1),
        predecessor=services.membership_for(municipality=old),
    )
    assert not offers_succession(client, "GM1999")
    # The page itself offers no predecessor either.
    html = client.get(reverse("membership:succession_create", args=["GM1999"])).text
    assert "Oudstad" not in section(html, "main")

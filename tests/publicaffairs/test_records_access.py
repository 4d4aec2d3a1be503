"""Who reads what of public affairs' records (issue 12, DESIGN.md §2): a contact's confidential
note reaches public affairs and the bureau only. For everyone else the selectors do not even
select it, and touching the attribute afterwards does not load it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.publicaffairs import records, rules, selectors
from m50.publicaffairs.models import Interaction
from tests.publicaffairs.records_helpers import TODAY, mp, theme

pytestmark = pytest.mark.django_db

NOTE = "De minister wil dit nog niet openbaar maken."
OTHERS = [Role.PARTICIPANT, Role.PILLAR_CHAIR, Role.MEMBER_CONTACT]


@pytest.fixture
def lobbyist(user_for_role):
    return user_for_role(Role.PUBLIC_AFFAIRS)


def talk(actor, **kwargs) -> Interaction:
    kwargs.setdefault("subject", "Gesprek over de Jeugdwet")
    return records.interaction_create(
        actor=actor,
        kind=Interaction.Kind.TALK,
        date=TODAY,
        confidential_note=NOTE,
        themes=[theme("jeugdzorg")],
        members=[mp("De Vries")],
        **kwargs,
    )


def selected_note(queries) -> bool:
    return any("confidential_note" in query["sql"] for query in queries)


@pytest.mark.parametrize("role", OTHERS)
def test_the_note_is_not_selected_for_other_roles_in_lists_or_detail(
    user_for_role, lobbyist, role, django_assert_num_queries
):
    reader = user_for_role(role)
    interaction = talk(lobbyist)
    records.follow_up_create(
        actor=lobbyist, interaction=interaction, description="Bellen", owner=reader
    )

    with CaptureQueriesContext(connection) as listed:
        rows = list(selectors.interaction_list(user=reader))
        by_theme = list(selectors.theme_interactions(user=reader, theme=theme("jeugdzorg")))
        detail = selectors.interaction_detail(user=reader, pk=interaction.pk)
        follow_ups = list(selectors.my_open_follow_ups(user=reader, today=TODAY))

    assert [r.subject for r in rows] == [r.subject for r in by_theme] == [interaction.subject]
    assert detail.subject == interaction.subject
    assert not selected_note(listed.captured_queries)
    # Touching the attribute, as a template or a serializer would, loads nothing.
    with django_assert_num_queries(0):
        assert rows[0].confidential_note == ""
        assert detail.confidential_note == ""
        assert follow_ups[0].interaction.confidential_note == ""
    assert not rules.sees_confidential(reader)
    assert not selectors.note_visible(user=reader)


@pytest.mark.parametrize("role", [Role.PUBLIC_AFFAIRS, Role.BUREAU])
def test_public_affairs_and_the_bureau_read_the_note(user_for_role, lobbyist, role):
    reader = user_for_role(role)
    interaction = talk(lobbyist)

    assert [r.confidential_note for r in selectors.interaction_list(user=reader)] == [NOTE]
    assert selectors.interaction_detail(user=reader, pk=interaction.pk).confidential_note == NOTE
    assert selectors.note_visible(user=reader)


def test_the_note_is_not_in_the_audit_trail(lobbyist):
    interaction = talk(lobbyist)
    records.interaction_update(
        actor=lobbyist, interaction=interaction, confidential_note="Nog geheimer."
    )

    changes = [str(e.changes) for e in AuditEvent.objects.filter(action__startswith="publicaff")]
    assert not any("geheim" in c or "openbaar" in c for c in changes)
    updated = AuditEvent.objects.get(action="publicaffairs.interaction_update")
    assert updated.changes == {"confidential_note": {"old": "***", "new": "*** (gewijzigd)"}}


def test_a_visitor_reads_no_records(lobbyist):
    talk(lobbyist)
    visitor = AnonymousUser()

    assert list(selectors.interaction_list(user=visitor)) == []
    assert list(selectors.stakeholder_list(user=visitor)) == []
    assert selectors.series_status_list(user=visitor) == []
    assert list(selectors.watch_list(user=visitor)) == []
    assert list(selectors.dossier_list(user=visitor)) == []


def test_listing_contacts_costs_the_same_queries_for_one_or_ten(
    user_for_role, lobbyist, django_assert_num_queries
):
    reader = user_for_role(Role.PARTICIPANT)
    talk(lobbyist)
    with CaptureQueriesContext(connection) as one:
        rows = list(selectors.interaction_list(user=reader))
        [(r.municipality, list(r.members.all()), list(r.themes.all())) for r in rows]
    for n in range(9):
        talk(lobbyist, subject=f"Gesprek {n}")

    with django_assert_num_queries(len(one.captured_queries)):
        rows = list(selectors.interaction_list(user=reader))
        [(r.municipality, list(r.members.all()), list(r.themes.all())) for r in rows]
    assert len(rows) == 10

"""The watch list (issue 12): new motions and Kamer activities that match a dossier's watch
terms (after Dutch search normalisation) or its committees, for the lobbyist to accept (linked
to the theme) or dismiss; a refresh is idempotent and does not bring a dismissed one back."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.publicaffairs import records, selectors
from m50.publicaffairs.models import WatchMatch
from tests.publicaffairs.records_helpers import (
    TODAY,
    activity,
    audit_count,
    committee,
    messages,
    refused,
    theme,
    tk_motion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lobbyist(user_for_role):
    return user_for_role(Role.PUBLIC_AFFAIRS)


@pytest.fixture
def bzk():
    return committee("Binnenlandse Zaken")


@pytest.fixture
def wonen(lobbyist, bzk):
    return records.dossier_create(
        actor=lobbyist,
        theme=theme("wonen"),
        watch_terms=["woning", "sociale huur"],
        committees=[bzk],
    )


def refresh(actor):
    return records.watch_matches_refresh(actor=actor, today=TODAY)


def matched(user, **kwargs) -> dict:
    return {
        (m.motion.title if m.motion else m.activity.subject): (m.matched_terms, m.by_committee)
        for m in selectors.watch_list(user=user, **kwargs)
    }


def test_a_watch_term_matches_other_forms_of_the_word_and_committees_match(lobbyist, wonen, bzk):
    tk_motion("Motie-Van der Plas over meer woningen voor starters")
    tk_motion("Motie over de sociale huursector")  # "huursector" is not "huur"
    tk_motion("Motie over Sociale Huur in de regio")
    tk_motion("Motie over de Gemeentefondsuitkering", committee_=bzk)
    tk_motion("Motie over het spoor")
    activity("Commissiedebat Woningbouw", date=TODAY)  # compound word: no match
    activity("Commissiedebat Volkshuisvesting", date=TODAY, committee_=bzk)
    activity("Debat over woningen", date=TODAY - datetime.timedelta(days=1))  # past

    result = refresh(lobbyist)

    assert (result.motions, result.activities) == (3, 1)
    assert matched(lobbyist, dossier=wonen) == {
        "Motie-Van der Plas over meer woningen voor starters": (["woning"], False),
        "Motie over Sociale Huur in de regio": (["sociale huur"], False),
        "Motie over de Gemeentefondsuitkering": ([], True),
        "Commissiedebat Volkshuisvesting": ([], True),
    }


def test_a_refresh_is_idempotent_and_a_dismissed_match_does_not_come_back(lobbyist, wonen):
    tk_motion("Motie over woningen")
    dismissed = tk_motion("Motie over woningdelen en woningen")
    refresh(lobbyist)
    before = (WatchMatch.objects.count(), audit_count())

    again = refresh(lobbyist)

    assert again.total == 0
    assert (WatchMatch.objects.count(), audit_count()) == before
    records.watch_match_dismiss(actor=lobbyist, match=WatchMatch.objects.get(motion=dismissed))
    assert refresh(lobbyist).total == 0
    assert list(matched(lobbyist)) == ["Motie over woningen"]
    assert WatchMatch.objects.get(motion=dismissed).status == WatchMatch.Status.DISMISSED
    tk_motion("Nieuwe motie over woningen")
    assert refresh(lobbyist).motions == 1


def test_accepting_links_the_motion_to_the_theme_once(lobbyist, wonen):
    motion = tk_motion("Motie over woningen")
    refresh(lobbyist)
    match = WatchMatch.objects.get()

    records.watch_match_accept(actor=lobbyist, match=match)
    error = refused(records.watch_match_dismiss, actor=lobbyist, match=match)

    assert messages(error) == "Deze signalering is al beoordeeld."
    assert list(selectors.dossier_motions(user=lobbyist, dossier=wonen)) == [motion]
    assert list(matched(lobbyist)) == []
    assert matched(lobbyist, status=WatchMatch.Status.ACCEPTED) == {
        "Motie over woningen": (["woning"], False)
    }
    assert AuditEvent.objects.filter(action="publicaffairs.watch_match_accept").count() == 1


def test_a_motion_linked_by_hand_is_not_listed(lobbyist, wonen):
    motion = tk_motion("Motie over woningen")
    records.dossier_motion_link(actor=lobbyist, dossier=wonen, motion=motion)

    assert refresh(lobbyist).total == 0


def test_an_accepted_activity_is_linked_to_the_dossier(lobbyist, wonen):
    debate = activity("Debat over sociale huur", date=TODAY + datetime.timedelta(days=7))
    refresh(lobbyist)

    records.watch_match_accept(actor=lobbyist, match=WatchMatch.objects.get())

    assert list(wonen.activities.all()) == [debate]


def test_only_public_affairs_and_the_bureau_judge_matches(user_for_role, lobbyist, wonen):
    tk_motion("Motie over woningen")
    participant = user_for_role(Role.PARTICIPANT)
    error = refused(records.watch_matches_refresh, actor=participant)
    assert messages(error) == "Alleen public affairs en het bureau mogen dit vastleggen."
    assert WatchMatch.objects.count() == 0
    refresh(lobbyist)

    error = refused(records.watch_match_accept, actor=participant, match=WatchMatch.objects.get())

    assert messages(error) == "Alleen public affairs en het bureau mogen dit vastleggen."
    assert WatchMatch.objects.get().status == WatchMatch.Status.OPEN
    assert list(wonen.motions.all()) == []
    # Reading the list is for the whole network.
    assert len(selectors.watch_list(user=participant)) == 1


def test_changing_the_watch_terms_lists_what_the_new_terms_match(lobbyist, wonen):
    tk_motion("Motie over de omgevingswet")
    assert refresh(lobbyist).total == 0

    records.dossier_update(actor=lobbyist, dossier=wonen, watch_terms=["Omgevingswet"])

    assert refresh(lobbyist).motions == 1
    audit = AuditEvent.objects.get(action="publicaffairs.dossier_update")
    assert audit.changes["watch_terms"] == {"old": "woning, sociale huur", "new": "Omgevingswet"}


def test_the_command_refreshes_the_list_and_a_second_run_adds_nothing(wonen):
    tk_motion("Motie over woningen")
    out = io.StringIO()

    call_command("refresh-watch-list", stdout=out)
    call_command("refresh-watch-list", stdout=out)

    assert out.getvalue().splitlines() == [
        "Nieuwe signaleringen: 1 moties, 0 Kameractiviteiten.",
        "Nieuwe signaleringen: 0 moties, 0 Kameractiviteiten.",
    ]
    audit = AuditEvent.objects.get(action="publicaffairs.watch_matches_refresh")
    assert audit.origin.startswith("opdrachtregel")

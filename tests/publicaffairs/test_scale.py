"""Public affairs at the scale of the Tweede Kamer's open data (issue 12): the theme, Kamerlid
and motion pages, the motion list and the API's lists of motions and votes cost the same
queries for 10 motions as for 50,000, each with its decision and a fractie's vote.

Each test loads the 50,000 once, with ``bulk_create``, and checks several pages on it."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.publicaffairs import records
from m50.publicaffairs.models import Decision, Motion, MotionSubmitter, Vote
from m50.publicaffairs.services import tweedekamer_directory_sync
from tests.publicaffairs.records_helpers import (
    committee,
    fractie,
    mp,
    statistics_refresh,
    theme,
    tk_motion,
)

pytestmark = pytest.mark.django_db

LARGE = 50_000
BATCH = 2_000
CONTEXT = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/$metadata#"


@pytest.fixture
def lobbyist(user_for_role):
    return user_for_role(Role.PUBLIC_AFFAIRS, username="lobbyist")


@pytest.fixture
def world(lobbyist):
    """Wonen with one motion of a Kamerlid, voted on by two fracties."""
    dossier = records.dossier_create(actor=lobbyist, theme=theme("wonen"), watch_terms=["woning"])
    records.position_add(actor=lobbyist, dossier=dossier, text="Meer woningen bouwen.")
    vvd, cda = fractie("VVD", seats=24), fractie("CDA", seats=5)
    member = mp("Jansen", vvd)
    motion = tk_motion("Motie over betaalbare woningen", committee_=committee("Wonen"))
    records.dossier_motion_link(actor=lobbyist, dossier=dossier, motion=motion)
    return {"dossier": dossier, "member": member, "motion": motion, "fracties": [vvd, cda]}


def _ids(kind: int, first: int, last: int) -> list[uuid.UUID]:
    """Tweede Kamer ids in order (random ones would make every insert into their unique index
    a random write, which is most of the time of a load this size)."""
    return [uuid.UUID(int=(kind << 64) + n) for n in range(first, last)]


def _grow(world, total: int) -> None:
    """Motions up to ``total``, each on the theme, submitted by the Kamerlid, with a decision
    and the vote of a fractie (the two fracties take turns)."""
    first = Motion.objects.count()
    member, fracties, dossier = world["member"], world["fracties"], world["dossier"]
    motions = Motion.objects.bulk_create(
        (
            Motion(
                source=Motion.Source.TWEEDE_KAMER,
                tk_id=tk_id,
                number=f"bulk-{n}",
                title=f"Motie {n}",
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 700),
            )
            for n, tk_id in enumerate(_ids(1, first, total), start=first)
        ),
        batch_size=BATCH,
    )
    link = dossier.motions.through
    link.objects.bulk_create(
        (link(themedossier=dossier, motion=motion) for motion in motions), batch_size=BATCH
    )
    MotionSubmitter.objects.bulk_create(
        (
            MotionSubmitter(
                tk_id=tk_id,
                motion=motion,
                member=member,
                role=MotionSubmitter.Role.SUBMITTER,
                name=member.surname,
            )
            for motion, tk_id in zip(motions, _ids(2, first, total), strict=True)
        ),
        batch_size=BATCH,
    )
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                tk_id=tk_id,
                motion=motion,
                tk_motion_id=motion.tk_id,
                result="Aangenomen" if n % 2 else "Verworpen",
            )
            for n, (motion, tk_id) in enumerate(zip(motions, _ids(3, first, total), strict=True))
        ),
        batch_size=BATCH,
    )
    Vote.objects.bulk_create(
        (
            Vote(
                tk_id=tk_id,
                decision=decision,
                tk_decision_id=decision.tk_id,
                fractie=fracties[n % 2],
                tk_fractie_id=fracties[n % 2].tk_id,
                kind="Voor" if n % 3 else "Tegen",
                actor_name=fracties[n % 2].abbreviation,
                fractie_size=fracties[n % 2].seats,
            )
            for n, (decision, tk_id) in enumerate(
                zip(decisions, _ids(4, first, total), strict=True)
            )
        ),
        batch_size=BATCH,
    )
    statistics_refresh()


def _counts(client, urls) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content[:500])
        counts.append(len(context.captured_queries))
    return counts


def test_theme_member_and_motion_pages_cost_the_same_for_10_and_50000_motions(
    client, lobbyist, world
):
    client.force_login(lobbyist)
    urls = [
        reverse("publicaffairs:dossier", args=["wonen"]),
        reverse("publicaffairs:member_detail", args=[world["member"].pk]),
        reverse("publicaffairs:motion_detail", args=[world["motion"].pk]),
        reverse("publicaffairs:motion_list"),
        reverse("publicaffairs:motion_list") + "?thema=wonen&uitslag=Aangenomen",
    ]
    _grow(world, 10)
    few = _counts(client, urls)
    _grow(world, LARGE)
    assert Vote.objects.count() == LARGE - 1  # the world's own motion has no decision
    many = _counts(client, urls)
    assert few == many


def test_the_api_lists_of_motions_and_votes_cost_the_same_for_10_and_50000_motions(lobbyist, world):
    api = APIClient()
    api.force_authenticate(lobbyist)
    vvd = world["fracties"][0]

    def urls() -> list[str]:
        decision = Decision.objects.order_by("pk").last()
        return [
            "/api/v1/moties?pageSize=100",
            f"/api/v1/moties?thema=wonen&fractie={vvd.pk}&resultaat=aangenomen",
            "/api/v1/stemmingen?pageSize=100",
            f"/api/v1/stemmingen?tkBesluit={decision.tk_id}",
            f"/api/v1/stemmingen?fractie={vvd.pk}&kamerlid={world['member'].pk}",
        ]

    _grow(world, 10)
    few = _counts(api, urls())
    _grow(world, LARGE)
    many = _counts(api, urls())
    assert few == many
    # The last page of all votes: the figure of the whole list is right at scale too.
    body = api.get("/api/v1/stemmingen?pageSize=500").json()
    assert body["count"] == Vote.objects.count()


def test_the_count_of_all_votes_is_taken_once_per_version_of_the_synced_data(
    lobbyist, world, figure_cache, tmp_path
):
    _grow(world, 10)
    api = APIClient()
    api.force_authenticate(lobbyist)

    def listed() -> tuple[int, int]:
        """The list's count, and how many times the votes were counted for it."""
        with CaptureQueriesContext(connection) as context:
            body = api.get("/api/v1/stemmingen").json()
        counted = [
            query
            for query in context.captured_queries
            if "COUNT(" in query["sql"].upper() and Vote._meta.db_table in query["sql"]
        ]
        return body["count"], len(counted)

    assert listed() == (9, 1)
    assert listed() == (9, 0)
    # A sync that brings a vote raises the version: the next request counts again.
    decision = Decision.objects.order_by("pk").first()
    vote = {
        "Id": str(uuid.uuid4()),
        "Besluit_Id": str(decision.tk_id),
        "Soort": "Voor",
        "FractieGrootte": 3,
        "ActorNaam": "SP",
        "ActorFractie": "SP",
        "Vergissing": False,
        "Persoon_Id": None,
        "Fractie_Id": None,
        "GewijzigdOp": "2025-10-07T17:05:00+02:00",
        "Verwijderd": False,
    }
    (tmp_path / "stemming.json").write_text(
        json.dumps({"@odata.context": CONTEXT + "Stemming", "value": [vote]}), encoding="utf-8"
    )
    assert tweedekamer_directory_sync(directory=tmp_path).total().new == 1
    assert listed() == (10, 1)
    # The same file again changes nothing, and the count stays where it is.
    assert tweedekamer_directory_sync(directory=tmp_path).total().unchanged == 1
    assert listed() == (10, 0)

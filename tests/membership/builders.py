"""Test data for the membership pages: through the services where a test reads the result,
in bulk where only the size matters (query counts at 1,000 memberships)."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from m50.membership import services
from m50.membership.models import DecidingBody, Decision, DecisionKind, Membership
from m50.membership.projection import status_periods_rebuild
from m50.municipalities.models import BoundaryChange, Municipality, PopulationCount
from tests.factories import (
    MunicipalityFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    PopulationCountFactory,
    ProvinceFactory,
)

ASPIRANT = DecisionKind.ASPIRANT
DEFINITIVE = DecisionKind.DEFINITIVE
COLLEGE = DecidingBody.COLLEGE
MAYOR = DecidingBody.MAYOR


def today() -> datetime.date:
    return timezone.localdate()


def detail_url(code: str) -> str:
    return reverse("municipalities:detail", args=[code])


def municipality(name: str, code: str, inhabitants: int | None = 45_000, **kwargs):
    item = MunicipalityFactory(name=name, code=code, **kwargs)
    if inhabitants is not None:
        PopulationCountFactory(municipality=item, year=2024, inhabitants=inhabitants)
    return item


def diemen():
    """Diemen (GM0384) on the M50 list, with its real dossier loaded by the service."""
    item = municipality("Diemen", "GM0384", 32_977)
    NetworkMembershipFactory(network=NetworkFactory(code="M50"), municipality=item)
    services.membership_reference_load()
    return item


def aspirant(item, decided_on: datetime.date, *, mandated_body=MAYOR, actor=None, **kwargs):
    """An aspirant membership by the college, mandating the mayor (deadline: a year)."""
    membership = services.membership_for(municipality=item)
    return services.decision_record(
        membership=membership,
        kind=ASPIRANT,
        deciding_body=COLLEGE,
        decided_on=decided_on,
        mandated_body=mandated_body,
        actor=actor,
        **kwargs,
    )


def listed(item):
    """A member known from the April 2023 list only, as the reference load makes them."""
    return services.membership_listed_create(municipality=item)


def bulk_memberships(count: int, start: int = 1000, *, mandated: bool = True) -> list[Membership]:
    """``count`` memberships of new municipalities: a third listed only, a third aspirant with
    a running mandate (``mandated=False``: without one), a third aspirant and member. Created
    in bulk, so 1,000 are quick."""
    province = ProvinceFactory()
    items = Municipality.objects.bulk_create(
        Municipality(name=f"Bulkgemeente {n:04d}", code=f"GM{n:04d}", province=province)
        for n in range(start, start + count)
    )
    PopulationCount.objects.bulk_create(
        PopulationCount(municipality=item, year=2024, inhabitants=25_000 + 60 * n, source="CBS")
        for n, item in enumerate(items)
    )
    memberships = Membership.objects.bulk_create(
        Membership(
            municipality=item,
            listed_since=services.M50_LISTING_AS_OF if n % 3 == 0 else "",
            listed_source=services.M50_LISTING_SOURCE if n % 3 == 0 else "",
        )
        for n, item in enumerate(items)
    )
    decided = today() - datetime.timedelta(days=100)
    decisions = []
    for n, membership in enumerate(memberships):
        if n % 3 == 0:
            continue
        decisions.append(
            Decision(
                membership=membership,
                kind=ASPIRANT,
                deciding_body=COLLEGE,
                decided_on=decided - datetime.timedelta(days=n % 200),
                effective_on=decided - datetime.timedelta(days=n % 200),
                mandated_body=MAYOR if mandated else "",
                mandate_deadline=(
                    decided + datetime.timedelta(days=365 - n % 200) if mandated else None
                ),
            )
        )
        if n % 3 == 2:
            decisions.append(
                Decision(
                    membership=membership,
                    kind=DEFINITIVE,
                    deciding_body=MAYOR,
                    decided_on=decided,
                    effective_on=decided,
                )
            )
    Decision.objects.bulk_create(decisions)
    status_periods_rebuild()  # the projection the services would have written one by one
    return memberships


def merger(predecessor, successor, effective_on: datetime.date) -> BoundaryChange:
    predecessor.dissolved_on = effective_on
    predecessor.save(update_fields=["dissolved_on"])
    services.memberships_dissolution_refresh(municipality_ids=[predecessor.pk])
    return BoundaryChange.objects.create(
        effective_on=effective_on,
        kind=BoundaryChange.Kind.MERGER_NEW_CODE,
        successor=successor,
        predecessor=predecessor,
        predecessor_inhabitants=20_000,
        transferred_inhabitants=20_000,
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context)


def text(html: str) -> str:
    """The page's text with tags removed and white space collapsed, for phrase assertions."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, start: str, end: str | None = None) -> str:
    """The part of ``html`` from the element with id ``start`` to the one with id ``end``."""
    first = html.index(f'id="{start}"')
    last = html.index(f'id="{end}"', first) if end else len(html)
    return html[first:last]


MERGED_ON = datetime.date(2022, 1, 1)


def bulk_histories(count: int, start: int = 5000) -> list[Membership]:
    """``count`` memberships with the shapes that used to cost a query each: a corrected
    decision, a termination, a withdrawn mandate, a succession after a merger, and a dissolved
    member whose successor has no membership yet (a succession proposal). In bulk, with the
    projection rebuilt as the services would have written it."""
    province = ProvinceFactory()
    decided = datetime.date(2020, 3, 1)
    memberships, decisions, changes = [], [], []
    for n in range(start, start + count):
        shape = n % 5
        item = Municipality.objects.create(
            name=f"Historie {n:05d}", code=f"GM{n:04d}", province=province
        )
        if shape in (3, 4):  # a member that merged into this municipality in 2022
            old = Municipality.objects.create(
                name=f"Voorganger {n:05d}",
                code=f"GM{n - 3000:04d}",
                province=province,
                dissolved_on=MERGED_ON,
            )
            changes.append(
                BoundaryChange(
                    effective_on=MERGED_ON,
                    kind=BoundaryChange.Kind.MERGER_NEW_CODE,
                    successor=item,
                    predecessor=old,
                )
            )
            predecessor = Membership.objects.create(municipality=old)
            decisions += [
                Decision(
                    membership=predecessor,
                    kind=ASPIRANT,
                    deciding_body=COLLEGE,
                    decided_on=decided,
                    effective_on=decided,
                ),
                Decision(
                    membership=predecessor,
                    kind=DEFINITIVE,
                    deciding_body=COLLEGE,
                    decided_on=decided.replace(year=2021),
                    effective_on=decided.replace(year=2021),
                ),
            ]
            if shape == 4:
                continue  # no membership of the successor: the platform proposes one
            membership = Membership.objects.create(municipality=item)
            decisions.append(
                Decision(
                    membership=membership,
                    kind=DecisionKind.SUCCESSION,
                    deciding_body=DecidingBody.BOARD,
                    decided_on=datetime.date(2022, 2, 1),
                    effective_on=MERGED_ON,
                    predecessor=predecessor,
                )
            )
            memberships.append(membership)
            continue
        membership = Membership.objects.create(municipality=item)
        memberships.append(membership)
        first = Decision.objects.create(
            membership=membership,
            kind=ASPIRANT,
            deciding_body=COLLEGE,
            decided_on=decided,
            effective_on=decided,
            mandated_body=MAYOR if shape == 2 else "",
            mandate_deadline=datetime.date(2021, 3, 1) if shape == 2 else None,
        )
        if shape == 0:  # corrected: the aspirant decision was a week later
            later = decided + datetime.timedelta(days=7)
            decisions.append(
                Decision(
                    membership=membership,
                    kind=ASPIRANT,
                    deciding_body=COLLEGE,
                    decided_on=later,
                    effective_on=later,
                    corrects=first,
                )
            )
        elif shape == 1:  # member, then terminated at the end of 2023
            decisions += [
                Decision(
                    membership=membership,
                    kind=DEFINITIVE,
                    deciding_body=COLLEGE,
                    decided_on=datetime.date(2021, 1, 5),
                    effective_on=datetime.date(2021, 1, 5),
                ),
                Decision(
                    membership=membership,
                    kind=DecisionKind.TERMINATION,
                    deciding_body=COLLEGE,
                    decided_on=datetime.date(2023, 6, 1),
                    effective_on=datetime.date(2024, 1, 1),
                ),
            ]
        elif shape == 2:  # its mandate withdrawn as recorded in error
            decisions.append(
                Decision(
                    membership=membership,
                    kind=DecisionKind.WITHDRAWAL,
                    deciding_body=COLLEGE,
                    decided_on=decided,
                    effective_on=decided,
                    corrects=first,
                    remarks="Onjuist vastgelegd.",
                )
            )
    BoundaryChange.objects.bulk_create(changes)
    Decision.objects.bulk_create(decisions)
    status_periods_rebuild()
    return memberships

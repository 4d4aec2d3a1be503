"""The rules of pillars: who may take part as what, how a topic moves, and who may manage
which pillar or theme group (per object, from the participations of today).

Decisions recorded here (issue 9 leaves them open):

* The category follows the function: a *bestuurder* is a mayor or alderman, a
  *gemeentesecretaris* the municipal secretary, an *adviseur* any other official of the
  municipality (policy advisor, civil servant, director, other). Councillors are not
  officials of the executive and take no part (nor do MPs or lobbyists, who are never
  positions at a municipality anyway).
* A pillar's chair is a *bestuurder* (DESIGN.md §2: "a bestuurder chairing a pillar"); a
  theme group may be chaired by an official of any category. A pillar or group has at most
  one chair at a time: to change chairs, the running chair's participation changes role or
  ends first.
"""

from __future__ import annotations

import datetime

from m50.accounts.permissions import has_rule
from m50.contacts.models import Position
from m50.pillars.models import Category, Pillar, ThemeGroup, TopicStatus

Function = Position.Function

CATEGORY_FUNCTIONS: dict[str, frozenset[str]] = {
    Category.ADMINISTRATOR: frozenset({Function.MAYOR, Function.ALDERMAN}),
    Category.MUNICIPAL_SECRETARY: frozenset({Function.MUNICIPAL_SECRETARY}),
    Category.ADVISOR: frozenset(
        {Function.POLICY_ADVISOR, Function.CIVIL_SERVANT, Function.DIRECTOR, Function.OTHER}
    ),
}


def category_for(function: str) -> str | None:
    """The category an official of ``function`` takes part in; None: takes no part."""
    for category, functions in CATEGORY_FUNCTIONS.items():
        if function in functions:
            return category
    return None


def chair_needs_administrator(body: Pillar | ThemeGroup) -> bool:
    return isinstance(body, Pillar)


# Which status a topic may move to from which: a chair adopts, parks or closes a proposal;
# a parked topic is adopted again or closed; a closed one is reopened as a proposal.
TOPIC_TRANSITIONS: dict[str, frozenset[str]] = {
    TopicStatus.PROPOSED: frozenset({TopicStatus.ADOPTED, TopicStatus.PARKED, TopicStatus.CLOSED}),
    TopicStatus.ADOPTED: frozenset({TopicStatus.PARKED, TopicStatus.CLOSED}),
    TopicStatus.PARKED: frozenset({TopicStatus.ADOPTED, TopicStatus.CLOSED}),
    TopicStatus.CLOSED: frozenset({TopicStatus.PROPOSED}),
}


# --- Who may do what, per object --------------------------------------------------------------


def _person_id(user) -> int | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "person_id", None)


def may_manage(user, body: Pillar | ThemeGroup, *, on: datetime.date | None = None) -> bool:
    """The bureau any pillar or group; a user whose person chairs ``body`` on ``on`` (a running
    participation as chair) that one only. Ends with the chairmanship."""
    if has_rule(user, "pillars.manage"):
        return True
    person_id = _person_id(user)
    if person_id is None or not has_rule(user, "pillars.manage_own"):
        return False
    from m50.pillars import selectors

    return selectors.person_chairs(person_id=person_id, body=body, on=on)


def may_create_theme_group(user, pillar: Pillar | None, *, on: datetime.date | None = None) -> bool:
    """A group of ``pillar``: the bureau, or that pillar's chair; a group of the network as a
    whole (``pillar`` None): the bureau only."""
    if pillar is None:
        return has_rule(user, "pillars.manage")
    return may_manage(user, pillar, on=on)


def may_end(user, body: Pillar | ThemeGroup, *, on: datetime.date | None = None) -> bool:
    """A pillar: the bureau only. A theme group: the bureau, or the chair of the pillar it
    belongs to (who may also start one there); its own chair does not end it."""
    if has_rule(user, "pillars.manage"):
        return True
    if isinstance(body, Pillar) or body.pillar_id is None:
        return False
    return may_manage(user, body.pillar, on=on)


def may_manage_participation_of(
    user, *, municipality_id: int | None, body: Pillar | ThemeGroup | None = None, on=None
) -> bool:
    """Register or end participations of ``municipality_id``'s officials (in ``body``): the
    bureau; the member contact of that municipality; the chair of ``body``."""
    if has_rule(user, "pillars.manage"):
        return True
    if (
        has_rule(user, "pillars.manage_participation_own")
        and municipality_id is not None
        and user.municipality_id == municipality_id
    ):
        return True
    return body is not None and may_manage(user, body, on=on)


def may_manage_participation(user, participation, *, on: datetime.date | None = None) -> bool:
    return may_manage_participation_of(
        user,
        municipality_id=participation.position.organisation.municipality_id,
        body=participation.body,
        on=on,
    )


def may_leave(user, participation) -> bool:
    """A participant ends their own participation."""
    person_id = _person_id(user)
    return person_id is not None and participation.position.person_id == person_id


def may_propose_topic(user, body: Pillar | ThemeGroup, *, on: datetime.date | None = None):
    """The bureau, and whoever takes part in ``body`` today (its chair included)."""
    if has_rule(user, "pillars.manage"):
        return True
    person_id = _person_id(user)
    if person_id is None or not has_rule(user, "pillars.propose_topic"):
        return False
    from m50.pillars import selectors

    return selectors.person_takes_part(person_id=person_id, body=body, on=on)


def may_request_to_join(user, position) -> bool:
    """An official asks for themself; the bureau and the municipality's member contact may
    ask on their behalf."""
    if may_manage_participation_of(user, municipality_id=position.organisation.municipality_id):
        return True
    person_id = _person_id(user)
    return (
        person_id is not None
        and has_rule(user, "pillars.request_join")
        and position.person_id == person_id
    )


def may_handle_request(user, request, *, on: datetime.date | None = None) -> bool:
    """The bureau, or the chair of the pillar or group asked for."""
    return may_manage(user, request.body, on=on)


def may_withdraw_request(user, request) -> bool:
    """Who asked for themself, and the bureau or the member contact of the municipality."""
    return may_request_to_join(user, request.position)

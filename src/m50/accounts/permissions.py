"""The permission rules of the platform, in one place (DESIGN.md §2).

Every page and endpoint names the rule it needs; this table says which roles satisfy it.
The tests walk this table against every role, so a new page cannot forget its rule.
"""

from __future__ import annotations

from typing import Final

from m50.accounts.models import Role

ANONYMOUS: Final = "anonymous"
ALL_ROLES: Final = frozenset(Role)
EVERYONE: Final = ALL_ROLES | {ANONYMOUS}

RULES: Final[dict[str, frozenset]] = {
    # Public: what the network publishes anyway (CBS figures, its member list).
    "core.view_public": EVERYONE,
    "registry.view": EVERYONE,
    # Acquisition strategy is the network's own business.
    "registry.view_prospects": frozenset({Role.BUREAU, Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR}),
    "registry.import": frozenset({Role.BUREAU}),
    # People and their functions: for the network's own users only (AVG: minimal exposure).
    "contacts.view": ALL_ROLES,
    "contacts.view_contact_details": frozenset({Role.BUREAU, Role.PUBLIC_AFFAIRS}),
    "contacts.manage": frozenset({Role.BUREAU}),
    # ... and a member contact the people of its own municipality (checked per object).
    "contacts.manage_own": frozenset({Role.MEMBER_CONTACT}),
    "accounts.manage": frozenset({Role.BUREAU}),
    # Who is a member, and since when, is public: the network publishes its member list.
    "membership.view": EVERYONE,
    # Documents, remarks and change history of any dossier: the network's own staff.
    "membership.view_details": frozenset({Role.BUREAU, Role.PUBLIC_AFFAIRS, Role.PILLAR_CHAIR}),
    # ... and of their own municipality's dossier: its contact and participants.
    "membership.view_own_details": frozenset({Role.MEMBER_CONTACT, Role.PARTICIPANT}),
    "membership.propose": frozenset({Role.MEMBER_CONTACT}),
    "membership.record": frozenset({Role.BUREAU}),
    "membership.view_deadlines": frozenset({Role.BUREAU}),
    # Money: the bureau does the finance; a municipality's contact sees its own invoices.
    "finance.manage": frozenset({Role.BUREAU}),
    "finance.view_own": frozenset({Role.MEMBER_CONTACT}),
    # A municipality's contact asks the bureau to change its own invoice details.
    "reports.request_billing_change": frozenset({Role.MEMBER_CONTACT}),
    "reports.handle_billing_change": frozenset({Role.BUREAU}),
    # The network's figures (members over time, money, participation, prospects) and its year.
    "reports.view_dashboard": frozenset({Role.BUREAU}),
    "reports.view_network_year": frozenset({Role.BUREAU}),
    # The council memo of a municipality: the bureau any, a member contact its own (checked
    # per object: reports.memo_views.may_write_memo); anyone else finds nothing (404).
    "reports.council_memo": ALL_ROLES,
    # A member's value report: the same people (checked per object), others 404.
    "reports.value_report": ALL_ROLES,
    # Pillars and theme groups, their purpose and their chairs' municipalities: public.
    "pillars.view": EVERYONE,
    # A topic's page: public as its pillar's or group's page (its owner for logged-in users).
    "pillars.view_topic": EVERYONE,
    # Who takes part where: the network's own users.
    "pillars.view_participants": ALL_ROLES,
    "pillars.manage": frozenset({Role.BUREAU}),
    # A chair manages the pillar or group they chair today: any role may hold a chair, and the
    # object check (pillars.rules.may_manage) decides, from the running participation.
    "pillars.manage_own": ALL_ROLES,
    # A member contact registers and ends participations of its own municipality's officials
    # (checked per object: pillars.rules.may_manage_participation_of).
    "pillars.manage_participation_own": frozenset({Role.MEMBER_CONTACT}),
    # Who takes part in a pillar or group proposes its topics (checked per object).
    "pillars.propose_topic": ALL_ROLES,
    # An official asks to join a pillar or group for themself (checked per object).
    "pillars.request_join": ALL_ROLES,
    # Register an official of a municipality in a pillar or group: the bureau, and a member
    # contact for its own municipality (checked per object: may_manage_participation_of).
    "pillars.register_participation": frozenset({Role.BUREAU, Role.MEMBER_CONTACT}),
    # End a participation: the participant their own, and whoever manages it (the bureau, the
    # municipality's contact, the chair of its pillar or group), checked per object.
    "pillars.end_participation": ALL_ROLES,
    # Activities: each shows to its audience (activities.rules.visible_q). The network's staff
    # see them all; every logged-in user those for all participants of members.
    "activities.view_all": frozenset({Role.BUREAU, Role.PUBLIC_AFFAIRS}),
    "activities.view_members": ALL_ROLES,
    # Registering oneself (checked per object: the audience and the registration window).
    "activities.register": ALL_ROLES,
    "activities.manage": frozenset({Role.BUREAU}),
    # Public affairs plans and manages the bureau's work visits and consultations; a chair
    # those of the pillar or group they chair (any role may chair: checked per object).
    "activities.manage_public_affairs": frozenset({Role.PUBLIC_AFFAIRS}),
    "activities.manage_own": ALL_ROLES,
    # An activity's documents: whoever sees the activity (checked per object: rules.may_view),
    # so also a visitor for one open to everyone.
    "activities.view_documents": EVERYONE,
    # The activities API answers everyone; what each caller sees is scoped by visible_q.
    "activities.view": EVERYONE,
    # An activity's .ics and the public feed: for anyone (each activity checked per object).
    "activities.calendar": EVERYONE,
    # A subscription feed: the secret in its URL is the key (calendar clients do not log in).
    "activities.calendar_feed": EVERYONE,
    # One's own subscription page: its secret URLs, and renewing them.
    "activities.subscribe": ALL_ROLES,
    # Knowledge: each published item shows to its readers (knowledge.rules.visible_q). The bureau
    # sees every item in every status; public affairs reads every published item but the
    # bureau's own; every logged-in user those for all users of members.
    "knowledge.view_all": frozenset({Role.BUREAU}),
    "knowledge.view_bodies": frozenset({Role.BUREAU, Role.PUBLIC_AFFAIRS}),
    "knowledge.view_network": ALL_ROLES,
    "knowledge.manage": frozenset({Role.BUREAU}),
    # A chair manages the items of the pillar or group they chair (checked per object).
    "knowledge.manage_own": ALL_ROLES,
    # A member's official submits a good example of their own municipality (checked per object).
    "knowledge.submit": frozenset({Role.MEMBER_CONTACT, Role.PARTICIPANT}),
    # The library's pages: anyone; what each visitor sees is scoped by knowledge.rules.visible_q
    # (an item one may not see is a 404).
    "knowledge.view": EVERYONE,
    # Writing items (the bureau, a chair for their pillar or group, a member's official an
    # example of their own municipality), reviewing submissions: checked per object.
    "knowledge.write": ALL_ROLES,
    # The knowledge API answers everyone; what each caller sees is scoped by visible_q.
    "knowledge.view_api": EVERYONE,
    # Type-ahead of the header's search box: anyone; each sees only what the index lets them.
    "search.suggest": EVERYONE,
    # Public affairs' own records (themes, stakeholders, contacts, follow-ups, watch list):
    # public affairs and the bureau write and read everything; the rest of the network reads
    # all but the confidential notes of contacts (publicaffairs.rules).
    "publicaffairs.view_records": ALL_ROLES,
    "publicaffairs.manage_records": frozenset({Role.BUREAU, Role.PUBLIC_AFFAIRS}),
    "publicaffairs.view_confidential": frozenset({Role.BUREAU, Role.PUBLIC_AFFAIRS}),
    # A theme's position once public affairs publishes it: the public site, for anyone.
    "publicaffairs.view_published": EVERYONE,
}


def role_of(user) -> str:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    return user.role


def has_rule(user, rule: str) -> bool:
    """Whether ``user`` (possibly anonymous) satisfies ``rule``. Unknown rules deny."""
    allowed = RULES.get(rule)
    if allowed is None:
        raise KeyError(f"unknown permission rule {rule!r}")
    return role_of(user) in allowed


def has_rule_for_role(role: str, rule: str) -> bool:
    return role in RULES[rule]


def is_public(rule: str) -> bool:
    return ANONYMOUS in RULES[rule]

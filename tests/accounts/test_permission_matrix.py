"""Every page and endpoint against every role, from the one table of rules.

The URL patterns are walked, so a new page without a permission rule, or without a sample
in ``SAMPLE_KWARGS``, fails here instead of slipping through.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from m50.accounts.models import MUNICIPAL_ROLES, Role
from m50.accounts.permissions import ANONYMOUS, EVERYONE, RULES, has_rule_for_role
from m50.contacts.models import Organisation
from m50.membership import services as membership_services
from m50.membership.models import DecidingBody, DecisionKind
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    PopulationCountFactory,
    PositionFactory,
)

# Third-party URL trees with their own access control, checked in their own tests.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language", "accounts:logout"}  # POST-only, tested elsewhere
# Routes that also check the object: a municipal user of another municipality than the
# sample's (Diemen) is refused, even with the rule.
OWN_MUNICIPALITY_ONLY = {"membership:proposal_create"}


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(p for p in (namespace, entry.namespace) if p)
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name not in EXCLUDED_NAMES:
                yield name, entry


def _rule_of(callback) -> str | None:
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        rule = getattr(holder, "permission_rule", None)
        if rule:
            return rule
    return None


ROUTES = sorted(
    {name: pattern for name, pattern in _walk(get_resolver())}.items(), key=lambda item: item[0]
)


def test_every_route_names_a_known_rule():
    missing = [name for name, pattern in ROUTES if _rule_of(pattern.callback) not in RULES]
    assert missing == []


@pytest.fixture
def sample(db):
    diemen = MunicipalityFactory(code="GM0384", name="Diemen")
    PopulationCountFactory(municipality=diemen, year=2024, inhabitants=32_977)
    organisation = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY, municipality=diemen, slug="gemeente-diemen"
    )
    person = PersonFactory()
    PositionFactory(person=person, organisation=organisation)
    membership = membership_services.membership_for(municipality=diemen)
    decision = membership_services.decision_record(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=datetime.date(2022, 8, 22),
        mandated_body=DecidingBody.MAYOR,
    )
    proposal = membership_services.proposal_create(
        membership=membership,
        actor=None,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=datetime.date(2023, 5, 16),
        document_title="Informatie van de burgemeester",
    )
    return {
        "code": "GM0384",
        "slug": organisation.slug,
        "pk": person.pk,
        "decision_id": decision.pk,
        "proposal_id": proposal.pk,
    }


def _kwargs_for(pattern, sample):
    names = pattern.pattern.regex.groupindex
    return {name: sample[name] for name in names}


def _is_api(name: str) -> bool:
    return name.startswith("api:")


def expected_status(name: str, rule: str, role: str) -> set[int]:
    allowed = has_rule_for_role(role, rule)
    if name == "accounts:login" and role != ANONYMOUS:
        return {302}  # already logged in: sent on
    if allowed and name in OWN_MUNICIPALITY_ONLY and role in MUNICIPAL_ROLES:
        return {403}
    if allowed:
        return {200}
    if role == ANONYMOUS:
        return {401} if _is_api(name) else {302}
    return {403}


MATRIX = [(name, role) for name, _pattern in ROUTES for role in sorted(EVERYONE)]


@pytest.mark.parametrize(("name", "role"), MATRIX)
def test_route_for_role(client, user_for_role, sample, name, role):
    pattern = dict(ROUTES)[name]
    rule = _rule_of(pattern.callback)
    if role != ANONYMOUS:
        client.force_login(user_for_role(Role(role)))
    url = reverse(name, kwargs=_kwargs_for(pattern, sample))
    response = client.get(url)
    assert response.status_code in expected_status(name, rule, role), (url, role, rule)
    if response.status_code == 302 and role == ANONYMOUS:
        assert response.url.startswith(reverse("accounts:login"))

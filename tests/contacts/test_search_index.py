"""Organisations and people in the search index: every write of the contacts services puts
them there as they are, only logged-in users find them, contact details are never in it, and a
person removed under the AVG is gone from it."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from m50.accounts.models import Role
from m50.contacts import services
from m50.contacts.models import Organisation, Position
from m50.core.models import SearchEntry
from m50.knowledge import search
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

KINDS = ("organisatie", "persoon")


def results(user, text, **options):
    return search.search(user=user, text=text, kinds=KINDS, **options)


def found(user, text, **options) -> set[tuple[str, int]]:
    return {(hit.kind, hit.object_id) for hit in results(user, text, **options).hits}


@pytest.fixture
def bureau(user_for_role):
    return user_for_role(Role.BUREAU)


@pytest.fixture
def weesp():
    return MunicipalityFactory(name="Weesperkarspel", code="GM9901")


@pytest.fixture
def wethouder(bureau, weesp):
    organisation = services.organisation_create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Gemeente Weesperkarspel",
        municipality=weesp,
        actor=bureau,
    )
    person = services.person_create(
        given_name="Anouk",
        surname="Zwartendijk",
        email="anouk.zwartendijk@voorbeeld.nl",
        phone="020 555 1234",
        actor=bureau,
    )
    position = services.position_create(
        person=person,
        organisation=organisation,
        function=Position.Function.ALDERMAN,
        portfolio="Woningbouw en duurzaamheid",
        start_date=datetime.date(2022, 5, 1),
        actor=bureau,
    )
    return organisation, person, position


def test_an_organisation_is_found_after_it_is_created_and_renamed(bureau):
    organisation = services.organisation_create(
        kind=Organisation.Kind.KNOWLEDGE_PARTNER,
        name="Kenniscentrum Stadsvernieuwing",
        abbreviation="KCSV",
        actor=bureau,
    )
    assert found(bureau, "stadsvernieuwing") == {("organisatie", organisation.pk)}
    assert found(bureau, "kcsv") == {("organisatie", organisation.pk)}
    services.organisation_update(
        organisation=organisation, name="Kenniscentrum Leefbaarheid", actor=bureau
    )
    assert found(bureau, "stadsvernieuwing") == set()
    assert found(bureau, "leefbaarheid") == {("organisatie", organisation.pk)}
    call_command("rebuild-search-index", "--check")


def test_a_person_is_found_by_name_function_portfolio_and_organisation(bureau, wethouder):
    organisation, person, _position = wethouder
    expected = {("persoon", person.pk)}
    assert found(bureau, "zwartendijk") == expected
    assert found(bureau, "anouk") == expected
    assert found(bureau, "wethouder weesperkarspel") == expected
    assert found(bureau, "woningbouw") == expected
    # The organisation is found by its own name too, and carries its municipality's code.
    assert ("organisatie", organisation.pk) in found(bureau, "weesperkarspel")
    facets = results(bureau, "zwartendijk").facets
    assert facets["kind"] == [("wethouder", 1)]
    assert facets["municipality"] == [("GM9901", 1)]
    call_command("rebuild-search-index", "--check")


def test_contact_details_are_never_in_the_index(bureau, wethouder):
    _organisation, person, _position = wethouder
    assert found(bureau, "voorbeeld") == set()
    assert found(bureau, '"555 1234"') == set()
    entry = SearchEntry.objects.get(kind="persoon", object_id=person.pk)
    for text in (entry.title, entry.summary, entry.body):
        assert "voorbeeld.nl" not in text
        assert "555" not in text


def test_a_change_of_name_or_of_the_organisation_follows_in_the_persons_entry(bureau, wethouder):
    organisation, person, _position = wethouder
    services.person_update(person=person, surname="Zwartendijk-Bos", actor=bureau)
    assert found(bureau, "bos") == {("persoon", person.pk)}
    services.organisation_update(
        organisation=organisation, description="Gemeente aan het Gein", actor=bureau
    )
    assert ("organisatie", organisation.pk) in found(bureau, "gein")
    other = services.organisation_create(
        kind=Organisation.Kind.OTHER, name="Stichting Polderwerk", actor=bureau
    )
    services.position_create(
        person=person, organisation=other, function=Position.Function.CHAIR, actor=bureau
    )
    services.organisation_update(organisation=other, name="Stichting Dijkwerk", actor=bureau)
    assert found(bureau, "dijkwerk") == {("organisatie", other.pk), ("persoon", person.pk)}
    assert found(bureau, "polderwerk") == set()
    call_command("rebuild-search-index", "--check")


def test_an_ended_function_leaves_the_persons_entry(bureau, wethouder):
    _organisation, person, position = wethouder
    services.position_end(position=position, end_date=datetime.date(2024, 1, 31), actor=bureau)
    assert found(bureau, "woningbouw") == set()
    assert found(bureau, "zwartendijk") == {("persoon", person.pk)}
    assert results(bureau, "zwartendijk").facets["kind"] == []
    call_command("rebuild-search-index", "--check")


def test_a_person_removed_under_the_avg_is_gone(bureau, wethouder):
    organisation, person, _position = wethouder
    person_id = person.pk
    services.person_delete(person=person, actor=bureau)
    assert found(bureau, "zwartendijk") == set()
    assert not SearchEntry.objects.filter(kind="persoon", object_id=person_id).exists()
    assert found(bureau, "weesperkarspel") == {("organisatie", organisation.pk)}
    call_command("rebuild-search-index", "--check")


@pytest.mark.parametrize("role", list(Role))
def test_every_logged_in_user_finds_organisations_and_people(
    user_for_role, bureau, wethouder, role
):
    organisation, person, _position = wethouder
    user = user_for_role(role)
    found_results = results(user, "weesperkarspel")
    assert {(hit.kind, hit.object_id) for hit in found_results.hits} == {
        ("organisatie", organisation.pk),
        ("persoon", person.pk),
    }
    assert found_results.total == 2
    assert dict(found_results.kinds) == {"organisatie": 1, "persoon": 1}
    assert found_results.facets["municipality"] == [("GM9901", 2)]


def test_anonymous_visitors_find_no_organisation_or_person(bureau, wethouder):
    anonymous_results = results(AnonymousUser(), "weesperkarspel")
    assert anonymous_results.hits == []
    assert anonymous_results.total == 0
    assert anonymous_results.kinds == []
    assert anonymous_results.facets["municipality"] == []
    assert anonymous_results.facets["kind"] == []


def test_the_reference_seed_puts_its_organisations_in_the_index_once(bureau, weesp):
    counts = services.reference_organisations_load()
    assert counts.created > 0
    m50 = Organisation.objects.get(slug="m50")
    assert ("organisatie", m50.pk) in found(bureau, "m50")
    seeded = Organisation.objects.get(municipality=weesp)
    assert ("organisatie", seeded.pk) in found(bureau, "weesperkarspel")
    call_command("rebuild-search-index", "--check")
    before = list(SearchEntry.objects.order_by("pk").values_list("pk", "title"))
    services.reference_organisations_load()
    assert list(SearchEntry.objects.order_by("pk").values_list("pk", "title")) == before

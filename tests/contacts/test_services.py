"""Writes on organisations, people and positions, and seeding the reference organisations."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from m50.contacts import services
from m50.contacts.models import Organisation, Person, Position
from tests.factories import (
    MunicipalityFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
JAN_1 = datetime.date(2022, 1, 1)


# --- Organisations and people -----------------------------------------------------------------


def test_organisation_create_makes_a_unique_slug():
    first = services.organisation_create(kind=Kind.MINISTRY, name="Ministerie van Financiën")
    second = services.organisation_create(kind=Kind.OTHER, name="Ministerie van Financiën")
    third = services.organisation_create(kind=Kind.OTHER, name="  Ministerie van Financiën ")
    assert first.slug == "ministerie-van-financien"
    assert second.slug == "ministerie-van-financien-2"
    assert third.slug == "ministerie-van-financien-3"
    assert third.name == "Ministerie van Financiën"


def test_organisation_create_keeps_a_given_slug_and_links():
    municipality = MunicipalityFactory(name="Diemen")
    organisation = services.organisation_create(
        kind=Kind.MUNICIPALITY, name="Gemeente Diemen", slug="diemen", municipality=municipality
    )
    assert organisation.slug == "diemen"
    assert municipality.organisation == organisation


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "club", "name": "X"}, "kind"),
        ({"kind": Kind.OTHER, "name": "  "}, "name"),
        ({"kind": Kind.OTHER, "name": "X", "website": "geen url"}, "website"),
    ],
)
def test_organisation_create_refuses_bad_input(kwargs, field):
    with pytest.raises(ValidationError) as info:
        services.organisation_create(**kwargs)
    assert field in info.value.message_dict
    assert not Organisation.objects.exists()


def test_organisation_create_refuses_a_taken_slug():
    OrganisationFactory(slug="vng")
    with pytest.raises(ValidationError) as info:
        services.organisation_create(kind=Kind.OTHER, name="Iets", slug="vng")
    assert "slug" in info.value.message_dict


def test_person_create():
    person = services.person_create(
        given_name=" Jan ", surname_prefix="van", surname="Dijk", email="jan@example.org"
    )
    assert person.full_name == "Jan van Dijk"
    with pytest.raises(ValidationError) as info:
        services.person_create(surname=" ")
    assert info.value.message_dict["surname"] == ["Vul een achternaam in."]
    with pytest.raises(ValidationError) as info:
        services.person_create(surname="Dijk", email="geen-adres")
    assert "email" in info.value.message_dict
    assert Person.objects.count() == 1


# --- Positions --------------------------------------------------------------------------------


def test_position_create():
    person, organisation = PersonFactory(), OrganisationFactory()
    position = services.position_create(
        person=person,
        organisation=organisation,
        function=Position.Function.ALDERMAN,
        portfolio="Wonen, Financiën",
        start_date=JAN_1,
    )
    assert position.is_current()
    assert list(organisation.positions.current()) == [position]
    # A position that starts and ends on one day is allowed.
    one_day = services.position_create(
        person=person,
        organisation=organisation,
        function=Position.Function.OTHER,
        start_date=JAN_1,
        end_date=JAN_1,
    )
    assert one_day.end_date == JAN_1


def test_position_create_refuses_an_end_before_the_start():
    with pytest.raises(ValidationError) as info:
        services.position_create(
            person=PersonFactory(),
            organisation=OrganisationFactory(),
            function=Position.Function.MAYOR,
            start_date=JAN_1,
            end_date=datetime.date(2021, 12, 31),
        )
    assert info.value.message_dict["end_date"] == [
        "De einddatum (31 december 2021) ligt vóór de begindatum (1 januari 2022)."
    ]
    assert not Position.objects.exists()


def test_position_create_refuses_an_unknown_function():
    with pytest.raises(ValidationError) as info:
        services.position_create(
            person=PersonFactory(), organisation=OrganisationFactory(), function="koning"
        )
    assert "function" in info.value.message_dict


def test_position_end_moves_it_to_the_past():
    position = PositionFactory(start_date=JAN_1)
    services.position_end(position=position, end_date=datetime.date(2022, 3, 30))
    position.refresh_from_db()
    assert position.end_date == datetime.date(2022, 3, 30)
    assert not position.is_current()
    assert list(Position.objects.past()) == [position]


def test_position_end_refuses_an_end_before_the_start():
    position = PositionFactory(start_date=JAN_1)
    with pytest.raises(ValidationError):
        services.position_end(position=position, end_date=datetime.date(2021, 1, 1))
    position.refresh_from_db()
    assert position.end_date is None


# --- Reference organisations ------------------------------------------------------------------

MINISTRIES = {"BZK", "SZW", "JenV", "IenW", "VWS", "Financiën", "VRO", "EZ", "OCW"}


@pytest.fixture
def registry():
    """Two current municipalities, one dissolved one, and the five networks."""
    for code in ("M50", "G4", "G40", "P10", "K80"):
        NetworkFactory(code=code, name=f"{code}, netwerk")
    return {
        "diemen": MunicipalityFactory(code="GM0384", name="Diemen"),
        "bergen": MunicipalityFactory(code="GM0373", name="Bergen (NH)"),
        "weesp": MunicipalityFactory(
            code="GM0457", name="Weesp", dissolved_on=datetime.date(2022, 3, 24)
        ),
    }


def test_reference_organisations_are_seeded(registry):
    counts = services.reference_organisations_load()
    assert (counts.created, counts.updated, counts.unchanged) == (18, 0, 0)

    vng = Organisation.objects.get(abbreviation="VNG")
    assert (vng.kind, vng.name) == (Kind.PARTNER_NETWORK, "Vereniging van Nederlandse Gemeenten")
    for code in ("G4", "G40", "P10", "K80"):
        organisation = Organisation.objects.get(network__code=code)
        assert organisation.kind == Kind.PARTNER_NETWORK
        assert organisation.name == f"{code}, netwerk"
    m50 = Organisation.objects.get(network__code="M50")
    assert (m50.kind, m50.abbreviation) == (Kind.OTHER, "M50")
    platform31 = Organisation.objects.get(name="Platform31")
    assert platform31.kind == Kind.KNOWLEDGE_PARTNER

    ministries = Organisation.objects.filter(kind=Kind.MINISTRY)
    assert set(ministries.values_list("abbreviation", flat=True)) == MINISTRIES
    for ministry in ministries:
        assert ministry.name.startswith("Ministerie van ")
        assert ministry.website.startswith(
            "https://www.rijksoverheid.nl/ministeries/ministerie-van-"
        )
    assert ministries.get(abbreviation="JenV").name == "Ministerie van Justitie en Veiligheid"

    municipal = Organisation.objects.filter(kind=Kind.MUNICIPALITY)
    assert {(o.name, o.slug, o.municipality.code) for o in municipal} == {
        ("Gemeente Diemen", "gemeente-diemen", "GM0384"),
        ("Gemeente Bergen (NH)", "gemeente-bergen-nh", "GM0373"),
    }
    assert not Organisation.objects.filter(municipality=registry["weesp"]).exists()


def test_a_second_run_changes_nothing(registry):
    services.reference_organisations_load()
    before = list(Organisation.objects.order_by("pk").values_list())
    counts = services.reference_organisations_load()
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 18)
    assert not counts.changed
    assert list(Organisation.objects.order_by("pk").values_list()) == before


def test_the_seed_follows_the_registry_but_keeps_the_bureaus_edits(registry):
    services.reference_organisations_load()
    diemen = Organisation.objects.get(municipality=registry["diemen"])
    vng = Organisation.objects.get(slug="vng")
    Organisation.objects.filter(pk=diemen.pk).update(
        website="https://www.diemen.nl", description="Lid sinds 2023."
    )
    Organisation.objects.filter(pk=vng.pk).update(website="https://www.vng.nl/nieuw")
    registry["diemen"].name = "Diemen-Zuid"
    registry["diemen"].save()
    MunicipalityFactory(code="GM1999", name="Nieuwgemeente")

    counts = services.reference_organisations_load()
    assert (counts.created, counts.updated) == (1, 1)
    diemen.refresh_from_db()
    assert diemen.name == "Gemeente Diemen-Zuid"
    assert diemen.slug == "gemeente-diemen"  # links stay valid
    assert (diemen.website, diemen.description) == ("https://www.diemen.nl", "Lid sinds 2023.")
    vng.refresh_from_db()
    assert vng.website == "https://www.vng.nl/nieuw"
    assert Organisation.objects.get(municipality__code="GM1999").slug == "gemeente-nieuwgemeente"


def test_seeding_avoids_slugs_already_taken(registry):
    OrganisationFactory(name="Iets anders", slug="gemeente-diemen")
    services.reference_organisations_load()
    assert Organisation.objects.get(municipality=registry["diemen"]).slug == "gemeente-diemen-2"
    assert Organisation.objects.get(slug="gemeente-diemen").name == "Iets anders"


def test_a_network_organisation_is_found_by_its_network_not_its_slug(registry):
    services.reference_organisations_load()
    Organisation.objects.filter(network__code="G40").update(slug="g40-stedennetwerk")
    counts = services.reference_organisations_load()
    assert counts.created == 0
    assert Organisation.objects.filter(network__code="G40").count() == 1
    assert Organisation.objects.get(network__code="G40").slug == "g40-stedennetwerk"

"""A small registry around Diemen, built from factories (not the shipped data)."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from m50.accounts.models import Role
from m50.contacts.models import Organisation, Position
from m50.municipalities.models import BoundaryChange
from tests.factories import (
    MunicipalityFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PopulationCountFactory,
    PositionFactory,
    ProvinceFactory,
)

# Diemen-like figures: it passed 30,000 inhabitants in 2020.
DIEMEN_SERIES = {
    2019: 29_100,
    2020: 30_300,
    2021: 31_100,
    2022: 31_900,
    2023: 32_400,
    2024: 32_977,
}


def _series(municipality, series):
    for year, inhabitants in series.items():
        PopulationCountFactory(
            municipality=municipality, year=year, inhabitants=inhabitants, source="CBS"
        )


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def registry(db):
    """Six municipalities in two provinces; Weesp went into Amsterdam on 2022-03-24."""
    noord_holland = ProvinceFactory(code="PV27", name="Noord-Holland")
    utrecht = ProvinceFactory(code="PV26", name="Utrecht")
    m50 = NetworkFactory(code="M50", name="M50")
    g4 = NetworkFactory(code="G4", name="G4")

    diemen = MunicipalityFactory(
        code="GM0384",
        name="Diemen",
        province=noord_holland,
        oin="00000001002306608000",
        kvk="34366000",
        rsin="002306608",
        identifiers_source="https://example.org/registers",
        identifiers_as_of=datetime.date(2024, 6, 1),
    )
    _series(diemen, DIEMEN_SERIES)
    NetworkMembershipFactory(network=m50, municipality=diemen, as_of="2023-04", status="lid")

    amsterdam = MunicipalityFactory(code="GM0363", name="Amsterdam", province=noord_holland)
    _series(amsterdam, {2023: 918_000, 2024: 931_000})
    NetworkMembershipFactory(network=g4, municipality=amsterdam, as_of="2024-01", status="lid")

    weesp = MunicipalityFactory(
        code="GM0457",
        name="Weesp",
        province=noord_holland,
        dissolved_on=datetime.date(2022, 3, 24),
    )
    _series(weesp, {2021: 20_400, 2022: 20_500})
    BoundaryChange.objects.create(
        effective_on=datetime.date(2022, 3, 24),
        kind=BoundaryChange.Kind.MERGER_KEEP_CODE,
        successor=amsterdam,
        predecessor=weesp,
        predecessor_inhabitants=20_500,
        transferred_inhabitants=20_500,
    )

    wijdemeren = MunicipalityFactory(code="GM1696", name="Wijdemeren", province=noord_holland)
    _series(wijdemeren, {2024: 24_600})

    houten = MunicipalityFactory(code="GM0321", name="Houten", province=utrecht)
    _series(houten, {2024: 50_800})

    zeist = MunicipalityFactory(code="GM0355", name="Zeist", province=utrecht)
    _series(zeist, {2024: 66_000})
    NetworkMembershipFactory(network=m50, municipality=zeist, as_of="2023-04", status="lid")

    return {
        "diemen": diemen,
        "amsterdam": amsterdam,
        "weesp": weesp,
        "wijdemeren": wijdemeren,
        "houten": houten,
        "zeist": zeist,
    }


@pytest.fixture
def organisations(registry):
    """Diemen's organisation with a current mayor and alderman and a past alderman; a ministry."""
    diemen = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Gemeente Diemen",
        slug="gemeente-diemen",
        municipality=registry["diemen"],
        website="https://www.diemen.nl",
    )
    PositionFactory(
        organisation=diemen,
        person=PersonFactory(given_name="Daan", surname="Burgemeester"),
        function=Position.Function.MAYOR,
        start_date=datetime.date(2019, 9, 1),
    )
    PositionFactory(
        organisation=diemen,
        person=PersonFactory(given_name="Wil", surname_prefix="de", surname="Wethouder"),
        function=Position.Function.ALDERMAN,
        title="wethouder",
        portfolio="Wonen en Financiën",
        start_date=datetime.date(2022, 6, 1),
    )
    PositionFactory(
        organisation=diemen,
        person=PersonFactory(given_name="Oud", surname="Wethouder"),
        function=Position.Function.ALDERMAN,
        start_date=datetime.date(2018, 6, 1),
        end_date=datetime.date(2022, 5, 31),
    )
    bzk = OrganisationFactory(
        kind=Organisation.Kind.MINISTRY,
        name="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        abbreviation="BZK",
        slug="ministerie-bzk",
    )
    return {"diemen": diemen, "bzk": bzk}


@pytest.fixture
def participant(user_for_role):
    return user_for_role(Role.PARTICIPANT)


@pytest.fixture
def participant_token(participant):
    return Token.objects.create(user=participant).key


@pytest.fixture
def token_client(participant_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {participant_token}")
    return client

"""/api/v1/gemeenten: public list with the HTML list's filters, and detail by CBS code."""

import pytest

pytestmark = pytest.mark.django_db

LIST = "/api/v1/gemeenten"


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_list_is_public_and_paginated(api_client, registry):
    response = api_client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    # Active municipalities by name; dissolved Weesp is not among them by default.
    assert body["count"] == 5
    assert names(response) == ["Amsterdam", "Diemen", "Houten", "Wijdemeren", "Zeist"]


def test_list_item_fields_are_lower_camel_case(api_client, registry):
    response = api_client.get(LIST, {"zoek": "Diemen"})
    assert response.json()["results"] == [
        {
            "code": "GM0384",
            "name": "Diemen",
            "province": {"code": "PV27", "name": "Noord-Holland"},
            "establishedOn": None,
            "dissolvedOn": None,
            "latestPopulation": 32_977,
            "latestPopulationYear": 2024,
            "band": "binnen",
            "isM50Member": True,
        }
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"zoek": "die"}, ["Diemen"]),
        ({"zoek": "gm0321"}, ["Houten"]),
        ({"provincie": "PV26"}, ["Houten", "Zeist"]),
        ({"provincie": "pv26"}, ["Houten", "Zeist"]),
        ({"bandbreedte": "binnen"}, ["Diemen", "Houten", "Zeist"]),
        ({"bandbreedte": "buiten"}, ["Amsterdam", "Wijdemeren"]),
        ({"netwerk": "M50"}, ["Diemen", "Zeist"]),
        ({"netwerk": "g4"}, ["Amsterdam"]),
        ({"status": "opgeheven"}, ["Weesp"]),
        (
            {"status": "alle", "provincie": "PV27", "bandbreedte": "buiten"},
            [
                "Amsterdam",
                "Weesp",
                "Wijdemeren",
            ],
        ),
        ({"sorteer": "-inwoners"}, ["Amsterdam", "Zeist", "Houten", "Diemen", "Wijdemeren"]),
        ({"sorteer": "inwoners"}, ["Wijdemeren", "Diemen", "Houten", "Zeist", "Amsterdam"]),
        ({"provincie": "PV27", "bandbreedte": "binnen", "netwerk": "M50"}, ["Diemen"]),
        # Empty parameters, as an HTML form sends them, count as absent.
        (
            {"zoek": "", "provincie": "", "bandbreedte": "", "sorteer": ""},
            [
                "Amsterdam",
                "Diemen",
                "Houten",
                "Wijdemeren",
                "Zeist",
            ],
        ),
    ],
)
def test_list_filters(api_client, registry, params, expected):
    response = api_client.get(LIST, params)
    assert response.status_code == 200, response.json()
    assert names(response) == expected


def test_band_of_each_municipality(api_client, registry):
    response = api_client.get(LIST, {"status": "alle"})
    bands = {item["name"]: item["band"] for item in response.json()["results"]}
    assert bands == {
        "Amsterdam": "boven",
        "Diemen": "binnen",
        "Houten": "binnen",
        "Weesp": "onder",
        "Wijdemeren": "onder",
        "Zeist": "binnen",
    }


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("bandbreedte", "ergens"),
        ("status", "weg"),
        ("sorteer", "grootte"),
        ("provincie", "PV99"),
        ("provincie", "Utrecht"),
        ("netwerk", "XYZ"),
        ("zoek", "x" * 101),
    ],
)
def test_invalid_filter_is_a_problem_naming_the_parameter(api_client, registry, parameter, value):
    response = api_client.get(LIST, {parameter: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Ongeldig verzoek"
    assert [param["name"] for param in problem["invalidParams"]] == [parameter]
    assert all(param["reason"] for param in problem["invalidParams"])
    assert problem["instance"].startswith(LIST + "?")


def test_two_invalid_filters_are_both_named(api_client, registry):
    response = api_client.get(LIST, {"status": "x", "sorteer": "y"})
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalidParams"]} == {"status", "sorteer"}


def test_detail_of_diemen(api_client, registry):
    response = api_client.get(f"{LIST}/GM0384")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "GM0384"
    assert body["name"] == "Diemen"
    assert body["province"] == {"code": "PV27", "name": "Noord-Holland"}
    assert body["latestPopulation"] == 32_977
    assert body["latestPopulationYear"] == 2024
    assert body["band"] == "binnen"
    assert body["isM50Member"] is True
    assert body["populationSeries"] == [
        {"year": year, "inhabitants": inhabitants, "source": "CBS"}
        for year, inhabitants in sorted(
            {
                2019: 29_100,
                2020: 30_300,
                2021: 31_100,
                2022: 31_900,
                2023: 32_400,
                2024: 32_977,
            }.items()
        )
    ]
    assert body["networkMemberships"] == [
        {
            "network": "M50",
            "networkName": "M50",
            "asOf": "2023-04",
            "status": "lid",
            "source": "https://example.org/bron",
        }
    ]
    assert body["predecessors"] == []
    assert body["successors"] == []
    assert body["identifiers"] == {
        "oin": "00000001002306608000",
        "kvk": "34366000",
        "rsin": "002306608",
        "source": "https://example.org/registers",
        "asOf": "2024-06-01",
    }


def test_detail_accepts_lower_case_code(api_client, registry):
    response = api_client.get(f"{LIST}/gm0384")
    assert response.status_code == 200
    assert response.json()["code"] == "GM0384"


def test_detail_shows_merger_on_both_sides(api_client, registry):
    amsterdam = api_client.get(f"{LIST}/GM0363").json()
    assert amsterdam["band"] == "boven"
    assert amsterdam["predecessors"] == [
        {
            "municipality": {"code": "GM0457", "name": "Weesp"},
            "effectiveOn": "2022-03-24",
            "type": "samenvoeging-code-behouden",
            "predecessorInhabitants": 20_500,
            "transferredInhabitants": 20_500,
        }
    ]
    weesp = api_client.get(f"{LIST}/GM0457").json()
    assert weesp["dissolvedOn"] == "2022-03-24"
    assert weesp["successors"] == [
        {
            "municipality": {"code": "GM0363", "name": "Amsterdam"},
            "effectiveOn": "2022-03-24",
            "type": "samenvoeging-code-behouden",
            "predecessorInhabitants": 20_500,
            "transferredInhabitants": 20_500,
        }
    ]


def test_detail_without_identifiers_gives_nulls(api_client, registry):
    body = api_client.get(f"{LIST}/GM0321").json()
    assert body["identifiers"] == {
        "oin": None,
        "kvk": None,
        "rsin": None,
        "source": None,
        "asOf": None,
    }
    assert body["networkMemberships"] == []


def test_unknown_code_is_a_404_problem(api_client, registry):
    response = api_client.get(f"{LIST}/GM9999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404
    assert "GM9999" in problem["detail"]
    assert problem["instance"] == f"{LIST}/GM9999"

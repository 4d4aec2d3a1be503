"""The Logius API Design Rules as the running API follows them (not only as documented)."""

import pytest
from django.conf import settings
from django.urls import resolve

pytestmark = pytest.mark.django_db

GEMEENTEN = "/api/v1/gemeenten"


def assert_problem(response, status: int):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == settings.API_VERSION
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"] == "about:blank"
    assert problem["title"]
    return problem


@pytest.mark.parametrize(
    "url",
    [
        GEMEENTEN,
        f"{GEMEENTEN}/GM0384",
        "/api/v1/openapi.json",
    ],
)
def test_api_version_header_on_success(api_client, registry, url):
    response = api_client.get(url)
    assert response.status_code == 200
    assert response["API-Version"] == settings.API_VERSION


@pytest.mark.parametrize(
    "url",
    [
        f"{GEMEENTEN}/",
        f"{GEMEENTEN}/GM0384/",
        "/api/v1/organisaties/",
        "/api/v1/organisaties/gemeente-diemen/",
        "/api/v1/openapi.json/",
    ],
)
def test_trailing_slash_is_a_404_problem(api_client, registry, url):
    problem = assert_problem(api_client.get(url), 404)
    assert problem["instance"] == url


@pytest.mark.parametrize(
    "url", ["/api/v1/bestaat-niet", "/api/v1", "/api/v1/", "/api/v2/gemeenten", "/api/"]
)
def test_paths_no_view_matches_are_404_problems(api_client, registry, url):
    assert_problem(api_client.get(url), 404)


def test_404_outside_the_api_stays_html(client, db):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "API-Version" not in response


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [GEMEENTEN, f"{GEMEENTEN}/GM0384"])
def test_read_only_other_methods_are_405_problems(api_client, registry, method, url):
    response = getattr(api_client, method)(url, {}, format="json")
    problem = assert_problem(response, 405)
    assert method.upper() in problem["detail"]
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_read_only_for_authenticated_users_too(token_client, organisations, method):
    response = getattr(token_client, method)("/api/v1/organisaties/gemeente-diemen")
    assert_problem(response, 405)


def test_unacceptable_media_type_is_406_problem(api_client, registry):
    response = api_client.get(GEMEENTEN, HTTP_ACCEPT="text/html")
    assert_problem(response, 406)


def test_json_and_problem_json_are_acceptable(api_client, registry):
    response = api_client.get(
        GEMEENTEN, HTTP_ACCEPT="application/json, application/problem+json;q=0.9"
    )
    assert response.status_code == 200


def test_pagination_links_and_page_size(api_client, registry):
    first = api_client.get(GEMEENTEN, {"pageSize": 2}).json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"] and "pageSize=2" in first["next"]
    last = api_client.get(GEMEENTEN, {"pageSize": 2, "page": 3}).json()
    assert [item["name"] for item in last["results"]] == ["Zeist"]
    assert last["next"] is None
    assert "pageSize=2" in last["previous"]


def test_page_size_defaults_to_the_setting(api_client, registry):
    body = api_client.get(GEMEENTEN).json()
    assert body["next"] is None
    assert len(body["results"]) == 5 <= settings.REST_FRAMEWORK["PAGE_SIZE"]


@pytest.mark.parametrize("page", ["4", "0", "999"])
def test_page_out_of_range_is_404_problem(api_client, registry, page):
    problem = assert_problem(api_client.get(GEMEENTEN, {"pageSize": 2, "page": page}), 404)
    assert page in problem["detail"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "-1"}, "page"),
        ({"pageSize": "abc"}, "pageSize"),
        ({"pageSize": "0"}, "pageSize"),
        ({"pageSize": "501"}, "pageSize"),
    ],
)
def test_invalid_page_parameters_are_400_problems(api_client, registry, params, name):
    problem = assert_problem(api_client.get(GEMEENTEN, params), 400)
    assert [param["name"] for param in problem["invalidParams"]] == [name]


def test_empty_list_has_a_first_page(api_client, registry):
    body = api_client.get(GEMEENTEN, {"zoek": "Atlantis"}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "url", [GEMEENTEN, f"{GEMEENTEN}/GM0384", "/api/v1/organisaties", "/api/v1/openapi.json"]
)
def test_api_views_are_exempt_from_login_required_middleware(url):
    # The API answers 401 itself; the HTML login redirect must never reach API clients.
    assert resolve(url).func.login_required is False


def test_anonymous_api_request_is_not_redirected_to_login(api_client, organisations):
    response = api_client.get("/api/v1/organisaties")
    assert response.status_code == 401
    assert "Location" not in response


def test_problem_messages_are_dutch_by_default(api_client, registry):
    problem = assert_problem(api_client.get(GEMEENTEN, {"status": "weg"}), 400)
    assert problem["detail"] == "De invoer is ongeldig."
    assert problem["title"] == "Ongeldig verzoek"

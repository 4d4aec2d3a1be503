"""The OpenAPI document: valid, and carrying what the API Design Rules (2.1.0) check."""

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from m50.api.schema import TAGS, postprocess_schema

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
# The kebab-case pattern of the ruleset (paths-kebab-case).
KEBAB_PATH = re.compile(
    r"^(\/|(\/_[a-z0-9]+|\/(([a-z0-9\-]+|{[^}]+})(\/([a-z0-9\-\.]+|{[^}]+}))*)(\/_[a-z]+)?)\/?)$"
)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def test_generation_has_no_warnings_or_errors(tmp_path):
    # What `make lint-openapi` runs first; it raises on any warning or validation error.
    GENERATOR_STATS.reset()  # count this generation's warnings only, not the session's
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "openapi.yaml")
    )


def test_schema_is_valid_openapi_3_0(schema):
    validate_schema(schema)
    assert re.match(r"^3\.0\.", schema["openapi"])


def test_servers_are_https_with_major_version(schema):
    assert schema["servers"]
    for server in schema["servers"]:
        assert server["url"].startswith("https://")
        assert re.search(r"/v\d", server["url"])


def test_contact_has_name_email_and_url(schema):
    assert {"name", "email", "url"} <= set(schema["info"]["contact"])


def test_paths(schema):
    assert set(schema["paths"]) == {
        "/gemeenten",
        "/gemeenten/{code}",
        "/organisaties",
        "/organisaties/{slug}",
        "/lidmaatschappen",
        "/lidmaatschappen/{code}",
        "/besluiten",
        "/besluiten/{id}",
        "/besluiten/{id}/intrekking",
        "/facturen",
        "/facturen/{number}",
        "/pijlers",
        "/pijlers/{slug}",
        "/themagroepen",
        "/themagroepen/{slug}",
        "/deelnames",
        "/deelnames/{id}",
        "/deelnames/{id}/beeindiging",
        "/onderwerpen",
        "/onderwerpen/{id}",
        "/onderwerpen/{id}/statuswijziging",
        "/activiteiten",
        "/activiteiten/{id}",
        "/activiteiten/{id}/annulering",
        "/aanmeldingen",
        "/aanmeldingen/{id}",
        "/aanmeldingen/{id}/intrekking",
        "/kennisitems",
        "/kennisitems/{id}",
        "/kennisitems/{id}/document",
        "/kennisitems/{id}/documenten",
        "/kennisitems/{id}/indiening",
        "/kennisitems/{id}/publicatie",
        "/kennisitems/{id}/afwijzing",
        "/kennisitems/{id}/intrekking",
        "/themas",
        "/themas/{slug}",
        "/kamerleden",
        "/kamerleden/{id}",
        "/fracties",
        "/fracties/{id}",
        "/moties",
        "/moties/{id}",
        "/stemmingen",
        "/stemmingen/{id}",
        "/contactmomenten",
        "/contactmomenten/{id}",
        "/openapi.json",
    }
    for path in schema["paths"]:
        assert not path.endswith("/")
        if path != "/openapi.json":
            assert KEBAB_PATH.match(path), path


def test_openapi_json_is_documented_with_cors_and_version_headers(schema):
    item = schema["paths"]["/openapi.json"]
    assert set(item) == {"get"}
    headers = item["get"]["responses"]["200"]["headers"]
    assert "access-control-allow-origin" in headers
    assert "API-Version" in headers
    assert {} in item["get"]["security"]


def test_every_response_documents_api_version(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            assert "API-Version" in response.get("headers", {}), (path, method, code)


def test_every_error_is_problem_json(schema):
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path, method, operation in operations(schema):
        errors = {code for code in operation["responses"] if code[0] in "45"}
        assert "406" in errors, (path, method)
        for code in errors:
            content = operation["responses"][code]["content"]
            assert set(content) == {"application/problem+json"}, (path, method, code)
            assert content["application/problem+json"]["schema"] == problem_ref


def test_documented_errors_per_operation(schema):
    def errors(path):
        return sorted(c for c in schema["paths"][path]["get"]["responses"] if c >= "400")

    assert errors("/gemeenten") == ["400", "401", "404", "406"]
    assert errors("/gemeenten/{code}") == ["401", "404", "406"]
    assert errors("/organisaties") == ["400", "401", "403", "404", "406"]
    assert errors("/organisaties/{slug}") == ["401", "403", "404", "406"]
    # Pillars are public; who takes part, and in what, is for logged-in users.
    assert errors("/pijlers") == ["400", "401", "404", "406"]
    assert errors("/pijlers/{slug}") == ["401", "404", "406"]
    assert errors("/deelnames") == ["400", "401", "403", "404", "406"]
    assert errors("/onderwerpen/{id}") == ["401", "403", "404", "406"]
    unauthorised = schema["paths"]["/organisaties"]["get"]["responses"]["401"]
    assert "WWW-Authenticate" in unauthorised["headers"]


def test_problem_schema(schema):
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "invalidParams",
    }
    assert set(problem["required"]) == {"type", "title", "status"}
    invalid = schema["components"]["schemas"]["InvalidParam"]
    assert set(invalid["properties"]) == {"name", "code", "reason"}


def test_token_security_scheme(schema):
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token["type"] == "apiKey"
    assert token["in"] == "header"
    assert token["name"] == "Authorization"
    assert "Token" in token["description"]


def test_security_per_operation(schema):
    public = schema["paths"]["/gemeenten"]["get"]["security"]
    assert {"tokenAuth": []} in public and {} in public
    private = schema["paths"]["/organisaties"]["get"]["security"]
    assert {"tokenAuth": []} in private and {} not in private


def test_names_schemas_pascal_case_and_properties_lower_camel_case(schema):
    for name, component in schema["components"]["schemas"].items():
        assert re.fullmatch(r"[A-Z][a-zA-Z0-9]*", name), name
        for prop in component.get("properties", {}):
            assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", prop), (name, prop)


def test_list_parameters_are_documented(schema):
    def parameters(path):
        return {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", [])}

    gemeenten = parameters("/gemeenten")
    # The conditional request headers: test_conditional_reads_document_their_validators_and_304.
    assert set(gemeenten) - {"If-None-Match", "If-Modified-Since"} == {
        "zoek",
        "provincie",
        "bandbreedte",
        "netwerk",
        "status",
        "sorteer",
        "page",
        "pageSize",
    }
    assert gemeenten["bandbreedte"]["schema"]["enum"] == ["binnen", "buiten"]
    assert gemeenten["status"]["schema"]["enum"] == ["actief", "opgeheven", "alle"]
    assert gemeenten["status"]["schema"]["default"] == "actief"
    assert gemeenten["sorteer"]["schema"]["enum"] == ["naam", "-inwoners", "inwoners"]
    assert gemeenten["pageSize"]["schema"]["maximum"] == 500
    assert set(parameters("/organisaties")) == {"soort", "zoek", "page", "pageSize"}
    assert set(parameters("/deelnames")) == {
        "gemeente",
        "pijler",
        "themagroep",
        "categorie",
        "peildatum",
        "page",
        "pageSize",
    }
    assert set(parameters("/onderwerpen")) == {
        "pijler",
        "themagroep",
        "status",
        "thema",
        "page",
        "pageSize",
    }
    assert set(parameters("/themagroepen")) == {"pijler", "page", "pageSize"}
    assert parameters("/onderwerpen")["status"]["schema"]["enum"] == [
        "voorgesteld",
        "aangenomen",
        "geparkeerd",
        "afgesloten",
    ]
    detail = parameters("/gemeenten/{code}")
    assert detail["code"]["in"] == "path"
    assert detail["code"]["schema"]["type"] == "string"


def test_postprocessing_hook_lists_the_used_tags(schema):
    result = postprocess_schema(dict(schema), generator=None, request=None, public=True)
    assert [tag["name"] for tag in result["tags"]] == list(TAGS)
    used = {tag for _p, _m, operation in operations(schema) for tag in operation["tags"]}
    assert used == {tag["name"] for tag in result["tags"]}
    assert all(tag["description"] for tag in result["tags"])


def test_served_document_is_public_with_cors(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["API-Version"] == settings.API_VERSION
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.0")
    assert "/gemeenten" in document["paths"]
    assert "/openapi.json" in document["paths"]


CONDITIONAL = {
    ("/gemeenten", "get"),
    ("/gemeenten/{code}", "get"),
    ("/lidmaatschappen", "get"),
    ("/lidmaatschappen/{code}", "get"),
}


def test_conditional_reads_document_their_validators_and_304(schema):
    """The public reads answer If-None-Match / If-Modified-Since with 304 (see
    tests/core/test_http_validators.py); the document says so, and only for them."""
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if (path, method) in CONDITIONAL:
                assert {"If-None-Match", "If-Modified-Since"} <= headers, path
                assert {"ETag", "Last-Modified"} <= set(responses["200"]["headers"]), path
                assert {"API-Version", "ETag"} <= set(responses["304"]["headers"]), path
                assert "content" not in responses["304"]
            else:
                assert "304" not in responses, (path, method)


def test_pillar_writes_are_documented_with_their_refusals(schema):
    """Register, end, propose and change status: 400 and 403 (a refusal per object), 415;
    a creation answers 201 with its Location."""
    writes = {
        ("/deelnames", "registerParticipation", "201"),
        ("/deelnames/{id}/beeindiging", "endParticipation", "200"),
        ("/onderwerpen", "proposeTopic", "201"),
        ("/onderwerpen/{id}/statuswijziging", "changeTopicStatus", "200"),
    }
    for path, operation_id, success in writes:
        operation = schema["paths"][path]["post"]
        assert operation["operationId"] == operation_id
        assert {"400", "401", "403", "415", success} <= set(operation["responses"]), path
        assert operation["requestBody"]["content"]["application/json"]["schema"]
        if success == "201":
            assert "Location" in operation["responses"]["201"]["headers"], path
    assert "409" in schema["paths"]["/deelnames"]["post"]["responses"]
    for path in ("/deelnames/{id}", "/onderwerpen/{id}", "/pijlers/{slug}"):
        assert set(schema["paths"][path]) == {"get"}, path


def test_activity_operations_are_documented_with_their_refusals(schema):
    """Activities are public (each to its audience), registrations for logged-in users; the
    writes document 400, 403 and 415, a creation its Location."""
    paths = schema["paths"]
    assert set(paths["/activiteiten/{id}"]) == {"get", "patch"}
    assert set(paths["/aanmeldingen/{id}"]) == {"get"}
    listing = paths["/activiteiten"]["get"]
    assert sorted(c for c in listing["responses"] if c >= "400") == ["400", "401", "404", "406"]
    assert {} in listing["security"]
    registrations = paths["/aanmeldingen"]["get"]
    assert {"401", "403"} <= set(registrations["responses"])
    assert {} not in registrations["security"]
    writes = {
        ("/activiteiten", "post", "planActivity", "201"),
        ("/activiteiten/{id}", "patch", "changeActivity", "200"),
        ("/activiteiten/{id}/annulering", "post", "cancelActivity", "200"),
        ("/aanmeldingen", "post", "register", "201"),
        ("/aanmeldingen/{id}/intrekking", "post", "withdrawRegistration", "200"),
    }
    for path, method, operation_id, success in writes:
        operation = paths[path][method]
        assert operation["operationId"] == operation_id
        assert {"400", "401", "403", "415", success} <= set(operation["responses"]), path
        if success == "201":
            assert "Location" in operation["responses"]["201"]["headers"], path
    assert "409" in paths["/aanmeldingen"]["post"]["responses"]

    def parameters(path):
        return {p["name"] for p in paths[path]["get"].get("parameters", [])}

    assert parameters("/activiteiten") == {
        "soort",
        "pijler",
        "themagroep",
        "gemeente",
        "van",
        "tot",
        "status",
        "thema",
        "page",
        "pageSize",
    }
    assert parameters("/aanmeldingen") == {"activiteit", "status", "page", "pageSize"}

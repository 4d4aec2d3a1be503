"""Input that must be refused cleanly, never with a server error (also on PostgreSQL)."""

import io

import pytest

from m50.municipalities.models import PopulationCount
from m50.municipalities.services import PopulationImportError, population_import
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
HEADER = "peildatum,gm_code,gemeentenaam,provincie_code,provincie,inwoners,cbs_tabel,cbs_variabele"


@pytest.mark.parametrize(
    "path", ["/gemeenten/GM0384%00/", "/gemeenten/GM03/", "/gemeenten/XX0384/"]
)
def test_a_malformed_code_in_a_page_url_is_a_404(client, path):
    MunicipalityFactory(code="GM0384")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/gemeenten/GM%00", "/api/v1/organisaties/a%00b"])
def test_a_malformed_key_in_an_api_url_is_a_problem_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"]


def test_a_lower_case_code_finds_the_municipality(client):
    MunicipalityFactory(code="GM0384", name="Diemen")
    assert "Diemen" in client.get("/gemeenten/gm0384/").text


def test_a_nul_byte_in_an_import_is_named_with_its_line():
    municipality = MunicipalityFactory(code="GM0384")
    text = f"{HEADER}\n2025-01-01,GM0384,Diemen,PV27,Noord-Holland,33000,x,y\x00\n"
    with pytest.raises(PopulationImportError) as excinfo:
        population_import(file=io.StringIO(text))
    assert [p.line for p in excinfo.value.problems] == [2]
    assert not PopulationCount.objects.filter(municipality=municipality).exists()


def test_an_oversized_field_is_a_problem_not_a_crash():
    MunicipalityFactory(code="GM0384")
    text = f'{HEADER}\n2025-01-01,GM0384,"{"x" * 200_000}",PV27,Noord-Holland,33000,x,y\n'
    with pytest.raises(PopulationImportError) as excinfo:
        population_import(file=io.StringIO(text))
    assert excinfo.value.problems[0].line == 2
    assert "geen geldige CSV" in excinfo.value.problems[0].message

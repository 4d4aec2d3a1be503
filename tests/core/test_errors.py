import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from m50.accounts.models import Role
from m50.core import views

pytestmark = pytest.mark.django_db


def test_server_error_page_needs_no_database():
    request = RequestFactory().get("/gemeenten/")
    with CaptureQueriesContext(connection) as queries:
        response = views.server_error(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert len(queries) == 0


def test_server_error_in_the_api_is_problem_json():
    request = RequestFactory().get("/api/v1/gemeenten")
    response = views.server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_page_is_a_dutch_404(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text


def test_forbidden_page_is_a_dutch_403(client, user_for_role):
    client.force_login(user_for_role(Role.PARTICIPANT))
    response = client.get("/gemeenten/kansrijk/")
    assert response.status_code == 403
    assert "Geen toegang" in response.text

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_public_and_dutch(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert 'lang="nl"' in response.text
    assert "Naar de inhoud" in response.text

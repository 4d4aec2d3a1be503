"""The pillars in /beheer/: the bureau looks them up; nothing is added or changed there."""

import pytest

from m50.accounts.models import Role
from m50.pillars import services
from tests.factories import UserFactory
from tests.pillars.conftest import START, official, pillar

pytestmark = pytest.mark.django_db

MODELS = ("pillar", "themegroup", "participation", "topic", "participationrequest")


def test_the_bureau_reads_every_pillars_list_and_cannot_add(client, diemen):
    sociaal = pillar("sociaal")
    position = official(diemen)
    services.participation_register(position=position, pillar=sociaal, start_date=START)
    services.topic_propose(pillar=sociaal, title="Wonen", owner=position.person)
    client.force_login(UserFactory(role=Role.BUREAU, is_staff=True, is_superuser=True))
    for model in MODELS:
        assert client.get(f"/beheer/pillars/{model}/").status_code == 200, model
        assert client.get(f"/beheer/pillars/{model}/add/").status_code == 403, model
    response = client.get(f"/beheer/pillars/pillar/{sociaal.pk}/change/")
    assert response.status_code == 200
    assert "Sociaal" in response.text and 'name="_save"' not in response.text

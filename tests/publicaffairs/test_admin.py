"""The Tweede Kamer's data in /beheer/ can be read, not changed: the sync keeps it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from m50.publicaffairs import models
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = [
    models.Fractie,
    models.MemberOfParliament,
    models.FractieMembership,
    models.Committee,
    models.Motion,
    models.Decision,
    models.Vote,
    models.ParliamentActivity,
    models.SyncState,
    models.SyncedFile,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_lists_open_for_a_superuser_and_nothing_can_be_changed(client, model):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse(f"admin:publicaffairs_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)

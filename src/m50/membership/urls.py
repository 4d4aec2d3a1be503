from django.urls import path

import m50.municipalities.urls  # noqa: F401  (registers the "gemeentecode" path converter)
from m50.membership import views

app_name = "membership"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("termijnen/", views.deadlines, name="deadlines"),
    path("<gemeentecode:code>/besluiten/nieuw/", views.decision_create, name="decision_create"),
    path(
        "<gemeentecode:code>/voortzetting/nieuw/",
        views.succession_create,
        name="succession_create",
    ),
    path("<gemeentecode:code>/voorstellen/nieuw/", views.proposal_create, name="proposal_create"),
    path(
        "besluiten/<int:decision_id>/corrigeren/", views.decision_correct, name="decision_correct"
    ),
    path(
        "besluiten/<int:decision_id>/intrekken/",
        views.decision_withdraw,
        name="decision_withdraw",
    ),
    path(
        "voorstellen/<int:proposal_id>/bevestigen/",
        views.proposal_confirm,
        name="proposal_confirm",
    ),
    path("voorstellen/<int:proposal_id>/afwijzen/", views.proposal_reject, name="proposal_reject"),
]

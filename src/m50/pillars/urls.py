from django.urls import path

import m50.municipalities.urls  # noqa: F401  (registers the "gemeentecode" path converter)
from m50.pillars import views

app_name = "pillars"
urlpatterns = [
    path("", views.pillar_list, name="list"),
    # Before the slugged paths: "nieuw" and "themagroepen" are reserved slugs.
    path("nieuw/", views.pillar_create, name="pillar_create"),
    path("themagroepen/nieuw/", views.group_create, name="group_create"),
    path("deelname/", views.matrix, name="matrix"),
    path(
        "deelname/<gemeentecode:code>/registreren/",
        views.participation_register,
        name="participation_register",
    ),
    path(
        "deelnames/<int:participation_id>/beeindigen/",
        views.participation_end,
        name="participation_end",
    ),
    path("onderwerpen/<int:topic_id>/", views.topic_detail, name="topic_detail"),
    path("onderwerpen/<int:topic_id>/status/", views.topic_status, name="topic_status"),
    path("aanmeldingen/<int:request_id>/behandelen/", views.request_handle, name="request_handle"),
    path("themagroepen/<slug:group>/", views.pillar_detail, name="group_detail"),
    path("themagroepen/<slug:group>/omschrijving/", views.body_edit, name="group_edit"),
    path(
        "themagroepen/<slug:group>/onderwerpen/nieuw/",
        views.topic_propose,
        name="group_topic_propose",
    ),
    path("themagroepen/<slug:group>/aanmelden/", views.join, name="group_join"),
    path("themagroepen/<slug:group>/beeindigen/", views.group_end, name="group_end"),
    path("<slug:pillar>/", views.pillar_detail, name="detail"),
    path("<slug:pillar>/omschrijving/", views.body_edit, name="edit"),
    path("<slug:pillar>/onderwerpen/nieuw/", views.topic_propose, name="topic_propose"),
    path("<slug:pillar>/aanmelden/", views.join, name="join"),
    path("<slug:pillar>/beeindigen/", views.pillar_end, name="end"),
    path(
        "<slug:pillar>/themagroepen/nieuw/", views.pillar_group_create, name="pillar_group_create"
    ),
]

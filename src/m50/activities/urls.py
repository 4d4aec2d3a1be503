from django.urls import path

from m50.activities.views import agenda, detail
from m50.activities.views import calendar as calendar_views
from m50.activities.views import documents as document_views
from m50.activities.views import manage as manage_views

app_name = "activities"

# The agenda, a month, one's own registrations, an activity, registering and cancelling.
urlpatterns: list = [
    path("", agenda.agenda, name="agenda"),
    path("maand/", agenda.month, name="month"),
    path("mijn/", agenda.mine, name="mine"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/aanmelden/", detail.register, name="register"),
    path("<int:pk>/afmelden/", detail.cancel_registration, name="cancel_registration"),
]

# Calendars: one activity's .ics, the public feed, and the subscription feeds by secret URL.
urlpatterns += [
    path("<int:pk>.ics", calendar_views.activity_ics, name="ics"),
    path("openbaar.ics", calendar_views.feed_public, name="feed_public"),
    path("abonnement/", calendar_views.subscription, name="subscription"),
    path("abonnement/<str:token>.ics", calendar_views.feed_user, name="feed_user"),
    path(
        "abonnement/<str:token>/pijler/<slug:slug>.ics",
        calendar_views.feed_pillar,
        name="feed_pillar",
    ),
    path(
        "abonnement/<str:token>/themagroep/<slug:slug>.ics",
        calendar_views.feed_group,
        name="feed_group",
    ),
]

# The organiser's pages: planning, changing, cancelling, managing, documents.
urlpatterns += [
    path("nieuw/", manage_views.activity_create, name="create"),
    path("reeks/nieuw/", manage_views.series_create, name="series_create"),
    path("<int:pk>/wijzigen/", manage_views.activity_edit, name="edit"),
    path("<int:pk>/annuleren/", manage_views.activity_cancel, name="cancel"),
    path("<int:pk>/beheer/", manage_views.manage, name="manage"),
    path("<int:pk>/beheer/<str:list>.<str:fmt>", manage_views.export, name="export"),
    path("<int:pk>/documenten/nieuw/", document_views.document_add, name="document_add"),
    path("<int:pk>/documenten/<int:document_pk>/", document_views.document, name="document"),
    path(
        "<int:pk>/documenten/<int:document_pk>/verwijderen/",
        document_views.document_remove,
        name="document_remove",
    ),
]

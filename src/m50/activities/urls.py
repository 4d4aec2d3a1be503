from django.urls import path

from m50.activities.views import calendar as calendar_views

app_name = "activities"
urlpatterns: list = [
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

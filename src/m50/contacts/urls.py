from django.urls import path

from m50.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("nieuw/", views.organisation_create, name="organisation_create"),
    path("personen/nieuw/", views.person_create, name="person_create"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("personen/<int:pk>/wijzigen/", views.person_edit, name="person_edit"),
    path("personen/<int:pk>/functies/nieuw/", views.position_create, name="position_create"),
    path("functies/<int:position_id>/beeindigen/", views.position_end, name="position_end"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/wijzigen/", views.organisation_edit, name="organisation_edit"),
    path(
        "<slug:slug>/personen/nieuw/",
        views.organisation_person_create,
        name="organisation_person_create",
    ),
]

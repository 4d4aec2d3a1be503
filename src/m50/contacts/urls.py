from django.urls import path

from m50.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]

"""The public site's pages of public affairs: the network's published positions."""

from django.urls import path

from m50.publicaffairs import views

app_name = "positions"

urlpatterns = [
    path("", views.published_position_list, name="list"),
    path("<slug:theme>/", views.published_position_detail, name="detail"),
]

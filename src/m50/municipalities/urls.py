from django.urls import path

from m50.municipalities import views

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_list, name="list"),
    path("kansrijk/", views.prospects, name="prospects"),
    path("<str:code>/", views.municipality_detail, name="detail"),
]

from django.urls import path, register_converter

from m50.municipalities import views
from m50.municipalities.converters import MunicipalityCodeConverter

register_converter(MunicipalityCodeConverter, "gemeentecode")

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_list, name="list"),
    path("kansrijk/", views.prospects, name="prospects"),
    path("inwoners-importeren/", views.population_import, name="population_import"),
    path("<gemeentecode:code>/", views.municipality_detail, name="detail"),
]

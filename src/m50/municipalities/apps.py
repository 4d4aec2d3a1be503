from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "m50.municipalities"
    label = "municipalities"

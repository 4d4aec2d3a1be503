from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "m50.api"
    label = "api"

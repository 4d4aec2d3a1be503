from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "m50.core"
    label = "core"
    verbose_name = "Kern"

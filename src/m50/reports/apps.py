from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "m50.reports"
    verbose_name = "Rapportages"
    label = "reports"

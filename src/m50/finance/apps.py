from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "m50.finance"
    label = "finance"

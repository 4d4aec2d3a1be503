from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "m50.finance"
    label = "finance"

    def ready(self):
        from m50.finance import checks  # noqa: F401  (registers the seller-details check)

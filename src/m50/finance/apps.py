from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "m50.finance"
    label = "finance"

    def ready(self):
        from m50.core.derived import projection_register
        from m50.finance import (
            checks,  # noqa: F401  (registers the seller-details check)
            selectors,
            services,
        )

        projection_register(
            name=selectors.PAID_PROJECTION,
            check=selectors.paid_differences,
            rebuild=services.invoice_paid_rebuild,
        )

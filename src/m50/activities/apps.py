from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "m50.activities"
    label = "activities"
    verbose_name = _("Activiteiten")

    def ready(self):
        from m50.activities import search
        from m50.core.search import index

        index.provider_register(
            search.SEARCH_KIND,
            search.entries,
            label=_("Activiteiten"),
            visible=search.visible_ids,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "m50.knowledge"
    label = "knowledge"
    verbose_name = _("Kennis")

    def ready(self):
        from m50.core.search import index
        from m50.knowledge import selectors

        index.provider_register(
            selectors.SEARCH_KIND,
            selectors.search_entries,
            label=_("Kennis"),
            visible=lambda user: selectors.visible_ids(user=user),
        )

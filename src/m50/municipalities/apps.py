from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "m50.municipalities"
    label = "municipalities"
    verbose_name = _("Gemeenteregister")

    def ready(self):
        from m50.core.search import index
        from m50.municipalities import search

        index.provider_register(search.SEARCH_KIND, search.entries, label=_("Gemeenten"))

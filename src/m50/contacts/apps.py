from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "m50.contacts"
    label = "contacts"
    verbose_name = _("Organisaties en personen")

    def ready(self):
        from m50.contacts import search
        from m50.core.search import index

        index.provider_register(
            search.ORGANISATION_KIND, search.organisation_entries, label=_("Organisaties")
        )
        index.provider_register(search.PERSON_KIND, search.person_entries, label=_("Personen"))

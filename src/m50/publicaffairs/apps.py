from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicAffairsConfig(AppConfig):
    name = "m50.publicaffairs"
    label = "publicaffairs"
    verbose_name = _("Public affairs")

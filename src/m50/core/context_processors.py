from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from m50.accounts.permissions import has_rule

# The platform's parts, in the order of the network's work. Parts still to come are shown
# as plain text so the navigation does not change shape when they arrive.
NAVIGATION = [
    ("municipalities:list", _("Gemeenten"), "registry.view"),
    ("municipalities:prospects", _("Kansrijke gemeenten"), "registry.view_prospects"),
    ("contacts:organisation_list", _("Organisaties"), "contacts.view"),
    ("membership:overview", _("Lidmaatschap"), "membership.view"),
    (None, _("Financiën"), None),
    (None, _("Pijlers"), None),
    (None, _("Activiteiten"), None),
    (None, _("Kennis"), None),
    (None, _("Public affairs"), None),
]


def navigation(request):
    items = []
    path = request.path
    for url_name, label, rule in NAVIGATION:
        if url_name is None:
            items.append({"label": label, "url": None, "current": False})
            continue
        if not has_rule(request.user, rule):
            continue
        url = reverse(url_name)
        items.append({"label": label, "url": url, "current": path.startswith(url)})
    return {
        "main_navigation": items,
        "band_min": settings.M50_BAND_MIN,
        "band_max": settings.M50_BAND_MAX,
    }

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
    ("finance:overview", _("Financiën"), "finance.manage"),
    ("pillars:list", _("Pijlers"), "pillars.view"),
    ("activities:agenda", _("Activiteiten"), "core.view_public"),
    ("knowledge:list", _("Kennis"), "knowledge.view"),
    ("positions:list", _("Standpunten"), "publicaffairs.view_published"),
    ("publicaffairs:overview", _("Public affairs"), "publicaffairs.view_records"),
    ("admin:index", _("Beheer"), "accounts.manage"),
]


def navigation(request):
    items = []
    path = request.path
    for url_name, label, rule in NAVIGATION:
        if url_name is None:
            items.append({"label": label, "url": None, "current": None})
        elif has_rule(request.user, rule):
            items.append({"label": label, "url": reverse(url_name), "current": None})
    # The item of the section the page is in: the longest link the path starts with. It is
    # the current page only on an exact match (aria-current="page"), else its section ("true").
    section = max(
        (item for item in items if item["url"] and path.startswith(item["url"])),
        key=lambda item: len(item["url"]),
        default=None,
    )
    if section is not None:
        section["current"] = "page" if section["url"] == path else "true"
    return {
        "main_navigation": items,
        "band_min": settings.M50_BAND_MIN,
        "band_max": settings.M50_BAND_MAX,
        "login_cooloff_minutes": settings.M50_LOGIN_COOLOFF_MINUTES,
    }

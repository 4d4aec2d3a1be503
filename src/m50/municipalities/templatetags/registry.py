"""Template helpers of the municipality registry: band status badges and the M50 flag."""

from urllib.parse import urlsplit

from django import template
from django.utils.translation import gettext_lazy as _

from m50.municipalities.eligibility import Band, BandLimits

register = template.Library()

# Text first: the colour of a badge only repeats what its words say.
BAND_BADGES = {
    Band.IN: (_("binnen bandbreedte"), "utrecht-status-badge--safe"),
    Band.BELOW: (_("onder bandbreedte"), "utrecht-status-badge--neutral"),
    Band.ABOVE: (_("boven bandbreedte"), "utrecht-status-badge--neutral"),
}


@register.filter
def band_of(inhabitants):
    """The band ("in", "below", "above") of a population, or "" when it is unknown."""
    band = BandLimits.from_settings().classify(inhabitants)
    return band.value if band else ""


@register.filter
def outside_band(inhabitants) -> bool:
    """Whether a known population lies outside the band (for flagging M50 members)."""
    band = BandLimits.from_settings().classify(inhabitants)
    return band is not None and band is not Band.IN


@register.inclusion_tag("municipalities/_band_badge.html")
def band_badge(inhabitants):
    band = BandLimits.from_settings().classify(inhabitants)
    if band is None:
        return {"label": _("inwonertal onbekend"), "modifier": "utrecht-status-badge--inactive"}
    label, modifier = BAND_BADGES[band]
    return {"label": label, "modifier": modifier}


# The registers the identifiers come from, by where the source link points (data/PROVENANCE.md):
# a reader wants the register's name, not a long URL.
IDENTIFIER_REGISTERS = (
    (
        "github.com/anneschuth/polder/",
        _("OIN-register van Logius en Register van Overheidsorganisaties (via Polder)"),
    ),
    ("oinregister.logius.nl/", _("OIN-register van Logius")),
    ("organisaties.overheid.nl/", _("Register van Overheidsorganisaties")),
)


@register.filter
def register_name(url: str) -> str:
    """The name of the register a source link points into, or its web address's host."""
    parts = urlsplit(url or "")
    address = f"{parts.netloc}{parts.path}".lower().removeprefix("www.")
    for prefix, name in IDENTIFIER_REGISTERS:
        if address.startswith(prefix):
            return str(name)
    return parts.netloc.removeprefix("www.") or url

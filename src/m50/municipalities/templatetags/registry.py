"""Template helpers of the municipality registry: band status badges and the M50 flag."""

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

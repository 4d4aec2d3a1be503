"""/api/v1 of public affairs: the network's theme dossiers and contacts, and the Tweede Kamer's
Kamerleden, fracties, motions and votes as synced from its open data.

Read by the network's logged-in users, as the pages (``publicaffairs.view_records``); anonymous
callers get 401. A contact's confidential note is for public affairs and the bureau: for
everyone else it is null, and the selectors leave it out of their query.
"""

from m50.publicaffairs.api.views import (
    FractieViewSet,
    InteractionViewSet,
    MemberViewSet,
    MotionViewSet,
    ThemeDossierViewSet,
    VoteViewSet,
)

__all__ = [
    "FractieViewSet",
    "InteractionViewSet",
    "MemberViewSet",
    "MotionViewSet",
    "ThemeDossierViewSet",
    "VoteViewSet",
]

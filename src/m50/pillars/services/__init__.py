"""Writes on pillars, theme groups, participations and topics. Each enforces the rules (see
:mod:`m50.pillars.rules`), is atomic, and is audited; a refusal is a ``ValidationError`` in
Dutch that changes nothing. Who may call which write is checked by the caller (the view or
API) through :mod:`m50.pillars.rules`."""

from m50.pillars.services._common import theme_names, themes_clean
from m50.pillars.services.bodies import (
    pillar_create,
    pillar_end,
    pillar_succession_add,
    pillar_succession_remove,
    pillar_update,
    pillars_reference_load,
    theme_group_create,
    theme_group_end,
    theme_group_update,
)
from m50.pillars.services.participations import (
    participation_end,
    participation_register,
    participation_role_change,
    participations_end_with_position,
)
from m50.pillars.services.requests import (
    participation_request_accept,
    participation_request_create,
    participation_request_refuse,
    participation_request_withdraw,
)
from m50.pillars.services.topics import (
    topic_propose,
    topic_status_change,
    topic_update,
)

__all__ = [
    "participation_end",
    "participation_register",
    "participation_request_accept",
    "participation_request_create",
    "participation_request_refuse",
    "participation_request_withdraw",
    "participation_role_change",
    "participations_end_with_position",
    "pillar_create",
    "pillar_end",
    "pillar_succession_add",
    "pillar_succession_remove",
    "pillar_update",
    "pillars_reference_load",
    "theme_group_create",
    "theme_group_end",
    "theme_group_update",
    "theme_names",
    "themes_clean",
    "topic_propose",
    "topic_status_change",
    "topic_update",
]

"""Pages of pillars and theme groups: the list, a page per pillar and group with its forms,
the participation matrix with its exports, and a municipality's participation.

The views hold no rules: who may do what on which pillar or group is asked of
:mod:`m50.pillars.rules` (per object), and the services refuse what the rules of participation
do not allow; a refusal is shown on the form (status 400) and nothing is written.
"""

from m50.pillars.views._common import body_url
from m50.pillars.views.bodies import (
    body_context,
    body_edit,
    join,
    pillar_detail,
    pillar_list,
    request_handle,
    topic_propose,
    topic_status,
)
from m50.pillars.views.lifecycle import (
    group_create,
    group_end,
    pillar_create,
    pillar_end,
    pillar_group_create,
)
from m50.pillars.views.matrix import matrix
from m50.pillars.views.participations import (
    municipality_pillars_context,
    participation_end,
    participation_register,
)
from m50.pillars.views.topics import topic_detail, topic_url

__all__ = [
    "body_context",
    "body_edit",
    "body_url",
    "group_create",
    "group_end",
    "join",
    "matrix",
    "municipality_pillars_context",
    "participation_end",
    "participation_register",
    "pillar_create",
    "pillar_detail",
    "pillar_end",
    "pillar_group_create",
    "pillar_list",
    "request_handle",
    "topic_detail",
    "topic_propose",
    "topic_status",
    "topic_url",
]

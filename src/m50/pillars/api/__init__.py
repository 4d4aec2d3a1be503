"""/api/v1/pijlers, /themagroepen, /deelnames and /onderwerpen: who takes part where, and in what.

Pillars and theme groups, their purpose and the municipality of their chair are public, as on
the pillars page; the people (the chair's name, participations, topics and their owners) are
for the network's own users (``pillars.view_participants``).

Writes go through the same services as the forms, which hold every rule; who may write on
which object is checked here through :mod:`m50.pillars.rules` before the service runs:

* registering a participation: the bureau, the member contact of the official's municipality,
  the chair of the pillar or group;
* ending one (``POST /deelnames/{id}/beeindiging``): the same, and the participant themself;
* proposing a topic: the bureau and whoever takes part in the pillar or group today;
* changing a topic's status (``POST /onderwerpen/{id}/statuswijziging``): the bureau and the
  chair of its pillar or group.

A refusal by those checks is a 403 problem, a refusal by a service a 400 problem naming the
field; either way nothing is written.
"""

from m50.pillars.api.bodies import PillarViewSet, ThemeGroupViewSet
from m50.pillars.api.participations import ParticipationViewSet
from m50.pillars.api.topics import TopicViewSet

__all__ = ["ParticipationViewSet", "PillarViewSet", "ThemeGroupViewSet", "TopicViewSet"]

"""/api/v1/activiteiten and /aanmeldingen: the network's activities and who registered.

An activity shows to its audience, as on the agenda (:func:`m50.activities.rules.visible_q`):
anonymous callers see the public ones; one that the caller may not see is a 404, so its
existence is not given away. The online link shows only to whoever holds a seat (and the
organiser).

Writes go through the same services as the pages, which hold every rule; who may write on
which object is checked here through :mod:`m50.activities.rules` before the service runs:

* planning (``POST /activiteiten``): the bureau; the chair of the organising pillar or group;
  public affairs the bureau's work visits and administrative consultations;
* changing (``PATCH /activiteiten/{id}``) and cancelling (``POST .../{id}/annulering``): who
  manages the activity (the same, for an existing activity);
* registering (``POST /aanmeldingen``): oneself while registration is open, or anyone by the
  organiser; withdrawing (``POST /aanmeldingen/{id}/intrekking``): the registered person and
  the organiser. A withdrawn seat goes to the first on the waiting list.

A refusal by those checks is a 403 problem, a refusal by a service a 400 problem naming the
field; either way nothing is written.
"""

from m50.activities.api.activities import ActivityViewSet
from m50.activities.api.registrations import RegistrationViewSet

__all__ = ["ActivityViewSet", "RegistrationViewSet"]

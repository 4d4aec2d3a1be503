"""/api/v1/kennisitems: the knowledge library's items, as its pages show them.

An item shows to its readers (:func:`m50.knowledge.rules.visible_q`): anonymous callers see the
public published ones; one that the caller may not see is a 404, so its existence is not given
away, and so is its file (``/kennisitems/{id}/document``, ``?versie=N`` for an older version),
served as an attachment with ``nosniff``. ``?zoek=`` filters through the search index, as the
search box reads words (Dutch stems, accents folded, phrases, prefixes), in the list's order.

Writes go through the same services as the pages, which hold every rule; who may write on
which object is checked here through :mod:`m50.knowledge.rules` before the service runs:

* adding a link or note (``POST /kennisitems``): the bureau; the chair of its pillar or group;
  a member's official an example of their own municipality, as a draft;
* changing (``PATCH /kennisitems/{id}``, with ``If-Match`` naming the item's ``ETag``) and
  withdrawing (``POST .../intrekking``): who manages it, and its writer until it is published;
* a new version of a document's file (``POST .../documenten``, multipart): who may change it;
* submitting an example (``POST .../indiening``): its writer; publishing (``.../publicatie``)
  and rejecting (``.../afwijzing``) a submission: the bureau and the chair.

A refusal by those checks is a 403 problem, a refusal by a service a 400 problem naming the
field; either way nothing is written.
"""

from m50.knowledge.api.views import KnowledgeItemViewSet

__all__ = ["KnowledgeItemViewSet"]

"""/api/v1/kennisitems: the knowledge library's items, as its pages show them.

An item shows to its readers (:func:`m50.knowledge.rules.visible_q`): anonymous callers see the
public published ones; one that the caller may not see is a 404, so its existence is not given
away, and so is its file (``/kennisitems/{id}/document``, ``?versie=N`` for an older version),
served as an attachment with ``nosniff``.

Writes go through the same services as the pages, which hold every rule; who may write on
which object is checked here through :mod:`m50.knowledge.rules` before the service runs. A
refusal by those checks is a 403 problem, a refusal by a service a 400 problem naming the
field; either way nothing is written. A change needs ``If-Match`` with the item's ``ETag``.
"""

from m50.knowledge.api.views import KnowledgeItemViewSet

__all__ = ["KnowledgeItemViewSet"]

from rest_framework.permissions import BasePermission

from m50.accounts.permissions import has_rule


class RolePermission(BasePermission):
    """Checks the view's rule against the rules table: ``get_permission_rule()`` where the view
    has it (a rule per action), else its ``permission_rule``; no rule denies."""

    def has_permission(self, request, view):
        getter = getattr(view, "get_permission_rule", None)
        rule = getter() if getter is not None else getattr(view, "permission_rule", None)
        if rule is None:
            return False
        return has_rule(request.user, rule)

from rest_framework.permissions import BasePermission

from m50.accounts.permissions import has_rule


class RolePermission(BasePermission):
    """Checks the view's ``permission_rule`` against the rules table; read-only by default."""

    def has_permission(self, request, view):
        rule = getattr(view, "permission_rule", None)
        if rule is None:
            return False
        return has_rule(request.user, rule)

"""Access helpers for views: every view names the permission rule it needs.

Rules are defined in :mod:`m50.accounts.permissions`. A view for a public rule is open to
anonymous visitors; any other view sends them to the login page (Django's
``LoginRequiredMiddleware``) and answers a logged-in user without the rule with 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from m50.accounts.permissions import RULES, has_rule, is_public


def rule_required(rule: str):
    if rule not in RULES:
        raise KeyError(f"unknown permission rule {rule!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_rule(request.user, rule):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission_rule = rule
        return login_not_required(wrapped) if is_public(rule) else wrapped

    return decorator

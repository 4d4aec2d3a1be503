"""The bases of the API view sets: their own authentication, a rule per action, the ADR schema."""

from django.contrib.auth.decorators import login_not_required
from rest_framework import mixins, viewsets

from m50.api.schema import ApiAutoSchema


class ApiViewSet(viewsets.GenericViewSet):
    """The actions a subclass defines; any other method gets 405 problem+json.

    A subclass names its ``permission_rule`` (see :mod:`m50.accounts.permissions`), which the
    default permission class checks, and in ``action_permission_rules`` the actions that need
    another rule (writes, typically). The API authenticates by token or session itself, so its
    views are exempt from Django's ``LoginRequiredMiddleware`` (that would redirect to the HTML
    login page instead of answering 401).
    """

    permission_rule: str | None = None
    #: ``{action: rule}`` for the actions whose rule is not ``permission_rule``.
    action_permission_rules: dict[str, str] = {}
    #: ``{action: (status, ...)}``: problem statuses to document beyond the derived ones.
    action_problem_codes: dict[str, tuple[int, ...]] = {}
    schema = ApiAutoSchema()
    #: serializer of the query parameters of the list (their names are the public ones).
    filter_serializer_class = None

    def get_permission_rule(self) -> str | None:
        return self.action_permission_rules.get(getattr(self, "action", None), self.permission_rule)

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return login_not_required(super().as_view(actions, **initkwargs))

    def get_filters(self) -> dict:
        """The validated query parameters, keyed by the selector's argument names.

        Empty parameters count as absent (as an HTML form sends them); an invalid one raises a
        ValidationError, which becomes a 400 problem naming the parameter.
        """
        if self.filter_serializer_class is None:
            return {}
        data = {key: value for key, value in self.request.query_params.items() if value != ""}
        serializer = self.filter_serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """List and detail only; other methods get 405 problem+json."""

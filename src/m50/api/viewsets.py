"""The base of every API view set: read-only, its own authentication, the ADR schema."""

from django.contrib.auth.decorators import login_not_required
from rest_framework import mixins, viewsets

from m50.api.schema import ApiAutoSchema


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and detail only; other methods get 405 problem+json.

    A subclass names its ``permission_rule`` (see :mod:`m50.accounts.permissions`), which the
    default permission class checks. The API authenticates by token or session itself, so its
    views are exempt from Django's ``LoginRequiredMiddleware`` (that would redirect to the HTML
    login page instead of answering 401).
    """

    permission_rule: str | None = None
    schema = ApiAutoSchema()
    #: serializer of the query parameters of the list (their names are the public ones).
    filter_serializer_class = None

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

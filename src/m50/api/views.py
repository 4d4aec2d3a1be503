from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny


@method_decorator(login_not_required, name="dispatch")
class OpenApiView(SpectacularAPIView):
    """The OpenAPI 3 document, public and readable from any origin (ADR /core/publish-openapi)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = [OpenApiJsonRenderer]
    permission_rule = "core.view_public"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

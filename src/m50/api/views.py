from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from m50.api.schema import ApiAutoSchema


@method_decorator(login_not_required, name="dispatch")
class OpenApiView(SpectacularAPIView):
    """The OpenAPI 3 document, public and readable from any origin (ADR /core/publish-openapi)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = [OpenApiJsonRenderer]
    permission_rule = "core.view_public"
    schema = ApiAutoSchema()

    @extend_schema(
        operation_id="getOpenApiDocument",
        summary=_("Het OpenAPI-document van deze API"),
        description=_("Dit document, OpenAPI 3.0, leesbaar zonder inloggen en vanaf elke origin."),
        tags=["openapi"],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Het OpenAPI-document."))
        },
        parameters=[
            OpenApiParameter(
                "access-control-allow-origin",
                str,
                OpenApiParameter.HEADER,
                response=[200],
                required=True,
                description=_("Altijd '*': het document is van overal te lezen (CORS)."),
            ),
        ],
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

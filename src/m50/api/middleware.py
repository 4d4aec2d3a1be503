from django.conf import settings

from m50.api.problems import is_api_request


class ApiVersionMiddleware:
    """Adds the full API version to every API response (ADR /core/version-header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api_request(request):
            response["API-Version"] = settings.API_VERSION
        return response

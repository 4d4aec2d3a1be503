"""RFC 9457 problem details (application/problem+json) for every API error."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_body(*, status: int, title: str, detail: str = "", instance: str = "", **extra):
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(*, status: int, title: str, detail: str = "", request=None, **extra):
    body = problem_body(
        status=status,
        title=title,
        detail=detail,
        instance=request.get_full_path() if request is not None else "",
        **extra,
    )
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


_TITLES = {
    status.HTTP_400_BAD_REQUEST: gettext_lazy("Ongeldig verzoek"),
    status.HTTP_401_UNAUTHORIZED: gettext_lazy("Niet geauthenticeerd"),
    status.HTTP_403_FORBIDDEN: gettext_lazy("Geen toegang"),
    status.HTTP_404_NOT_FOUND: gettext_lazy("Niet gevonden"),
    status.HTTP_405_METHOD_NOT_ALLOWED: gettext_lazy("Methode niet toegestaan"),
    status.HTTP_406_NOT_ACCEPTABLE: gettext_lazy("Niet aanvaardbaar"),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: gettext_lazy("Mediatype niet ondersteund"),
    status.HTTP_429_TOO_MANY_REQUESTS: gettext_lazy("Te veel verzoeken"),
}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    title = str(_TITLES.get(response.status_code, _("Fout")))
    data = response.data
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = _("De invoer is ongeldig.")
        extra["invalidParams"] = _invalid_params(data)
    elif isinstance(data, dict) and "detail" in data:
        detail = str(data["detail"])
    else:
        detail = str(data)
    body = problem_body(
        status=response.status_code,
        title=title,
        detail=detail,
        instance=request.get_full_path() if request is not None else "",
        **extra,
    )
    problem = Response(body, status=response.status_code, headers=dict(response.headers))
    problem.content_type = PROBLEM_CONTENT_TYPE
    return problem


def _invalid_params(data, prefix: str = "") -> list[dict]:
    params = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            params.extend(_invalid_params(value, name))
    elif isinstance(data, list):
        if all(not isinstance(item, dict | list) for item in data):
            params.extend(
                {
                    "name": prefix or "nonFieldErrors",
                    "code": getattr(item, "code", "invalid"),
                    "reason": str(item),
                }
                for item in data
            )
        else:
            for index, item in enumerate(data):
                params.extend(_invalid_params(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(data, "code", "invalid"),
                "reason": str(data),
            }
        )
    return params

"""RFC 9457 problem details (application/problem+json) for every API error."""

from django.core.exceptions import ValidationError as DjangoValidationError
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
    status.HTTP_409_CONFLICT: gettext_lazy("Conflict"),
    status.HTTP_412_PRECONDITION_FAILED: gettext_lazy("Voorwaarde niet vervuld"),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: gettext_lazy("Mediatype niet ondersteund"),
    status.HTTP_428_PRECONDITION_REQUIRED: gettext_lazy("Voorwaarde vereist"),
    status.HTTP_429_TOO_MANY_REQUESTS: gettext_lazy("Te veel verzoeken"),
}


class Conflict(exceptions.APIException):
    """The request contradicts what was stored in the meantime (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Het verzoek botst met de huidige toestand van de gegevens.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    """``If-Match`` names a version that is no longer the current one (412)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Het gegeven is gewijzigd sinds u het las (de ETag in If-Match is niet meer actueel). "
        "Haal het opnieuw op en breng uw wijziging opnieuw aan."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    """A change that needs ``If-Match`` came without it (428, RFC 6585)."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy(
        "Stuur de ETag die u bij het lezen kreeg in de header If-Match, zodat een wijziging "
        "van een ander niet ongemerkt wordt overschreven."
    )
    default_code = "precondition_required"


def validation_error_from_django(exc: DjangoValidationError, field_names=None):
    """A Django ``ValidationError`` (from a model or service) as DRF's, codes kept.

    ``field_names`` maps model field names to the API's names; errors of other fields, and
    errors of no field, are named ``nonFieldErrors``.
    """
    field_names = field_names or {}

    def details(errors):
        return [
            exceptions.ErrorDetail(message, code=error.code or "invalid")
            for error in errors
            for message in error.messages
        ]

    if hasattr(exc, "error_dict"):
        detail: dict[str, list] = {}
        for name, errors in exc.error_dict.items():
            key = field_names.get(name, "nonFieldErrors")
            detail.setdefault(key, []).extend(details(errors))
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError({"nonFieldErrors": details(exc.error_list)})


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A model's or service's refusal that a view did not translate: still bad input.
        exc = validation_error_from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    title = str(_TITLES.get(response.status_code, _("Fout")))
    data = response.data
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = str(getattr(exc, "problem_detail", "") or _("De invoer is ongeldig."))
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

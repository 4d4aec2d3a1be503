from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from m50.accounts.models import MUNICIPAL_ROLES, Role
from m50.accounts.permissions import role_of
from m50.api.problems import is_api_request, problem_response
from m50.core.access import rule_required
from m50.core.conditional import public_page
from m50.core.versions import REGISTRY
from m50.municipalities import selectors as municipality_selectors
from m50.reports import selectors as reports
from m50.reports import views as report_views


@rule_required("core.view_public")
# The front page of anonymous visitors; the others start at their own work.
@public_page(REGISTRY, logged_in=False)
def home(request):
    """Where each role starts: the bureau at its work queue, a municipality's contact and
    participants at their own municipality, everyone else at the network's front page."""
    role = role_of(request.user)
    if role == Role.BUREAU:
        return render(
            request,
            "core/home_bureau.html",
            {"queue": reports.bureau_work_queue(), "today": timezone.localdate()},
        )
    if role in MUNICIPAL_ROLES and request.user.municipality_id:
        return render(
            request,
            "core/home_municipality.html",
            report_views.municipality_home(request, request.user.municipality),
        )
    return render(
        request,
        "core/home.html",
        {"registry_summary": municipality_selectors.registry_summary()},
    )


def _error(request, status: int, title: str, detail: str):
    if is_api_request(request):
        return problem_response(status=status, title=title, detail=detail, request=request)
    return render(
        request,
        "core/error.html",
        {"status": status, "title": title, "detail": detail},
        status=status,
    )


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, 400, _("Ongeldig verzoek"), _("Het verzoek kon niet worden verwerkt."))


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("Geen toegang"),
        _(
            "U heeft geen toegang tot deze pagina. Neem contact op met het bureau als u denkt dat "
            "dit niet klopt."
        ),
    )


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(
        request, 404, _("Pagina niet gevonden"), _("De pagina die u zoekt bestaat niet (meer).")
    )


@requires_csrf_token
def server_error(request):
    # Kept free of database access: the error may be the database itself.
    if is_api_request(request):
        return problem_response(
            status=500,
            title=_("Interne fout"),
            detail=_("Er ging iets mis op de server."),
            request=request,
        )
    # A bare page: no navigation, no user lookup, nothing that needs the database.
    body = render_to_string(
        "core/500.html",
        {"title": _("Er ging iets mis"), "detail": _("Probeer het later opnieuw.")},
    )
    return HttpResponseServerError(body)

"""The project's URLs plus one bare view: the benchmark's baseline, what Django itself costs.

Used only by the benchmark (``ROOT_URLCONF`` override in-process, ``bench.national_settings``
under gunicorn); the product never routes here.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from m50.conf.urls import (  # noqa: F401  (the error handlers of the project)
    handler400,
    handler403,
    handler404,
    handler500,
)
from m50.conf.urls import urlpatterns as project_urlpatterns

BARE_PATH = "/__bench__/bare"


@login_not_required
def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.lstrip("/"), bare), *project_urlpatterns]

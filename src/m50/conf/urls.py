from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from m50.core import views as core_views

urlpatterns = [
    path("", include("m50.core.urls")),
    path("account/", include("m50.accounts.urls")),
    path("gemeenten/", include("m50.municipalities.urls")),
    path("organisaties/", include("m50.contacts.urls")),
    path("lidmaatschap/", include("m50.membership.urls")),
    path("financien/", include("m50.finance.urls")),
    path("pijlers/", include("m50.pillars.urls")),
    path("activiteiten/", include("m50.activities.urls")),
    path("kennis/", include("m50.knowledge.urls")),
    path("zoeken/", include("m50.knowledge.search_urls")),
    path("public-affairs/", include("m50.publicaffairs.urls")),
    path("standpunten/", include("m50.publicaffairs.public_urls")),
    path("", include("m50.reports.urls")),
    path("api/v1/", include("m50.api.urls")),
    # Switching language is open to everyone, also before logging in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("beheer/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

from django.urls import path

import m50.municipalities.urls  # noqa: F401  (registers the "gemeentecode" path converter)
from m50.reports import dashboard_views, memo_views, views

app_name = "reports"
urlpatterns = [
    path("mijn-gemeente/factuurgegevens/", views.billing_change, name="billing_change"),
    path("werkvoorraad/factuurgegevens/", views.billing_change_list, name="billing_change_list"),
    path(
        "werkvoorraad/factuurgegevens/<int:change_id>/",
        views.billing_change_handle,
        name="billing_change_handle",
    ),
    path("dashboard/", dashboard_views.dashboard_view, name="dashboard"),
    path("jaarverslag/<int:year>/", dashboard_views.network_year_view, name="network_year"),
    path(
        "jaarverslag/<int:year>/downloaden/",
        dashboard_views.network_year_file,
        name="network_year_file",
    ),
    path(
        "gemeenten/<gemeentecode:code>/raadsinformatiebrief/",
        memo_views.council_memo,
        name="council_memo",
    ),
    path(
        "gemeenten/<gemeentecode:code>/raadsinformatiebrief/huisstijl/",
        memo_views.council_memo_template,
        name="council_memo_template",
    ),
    path("gemeenten/<gemeentecode:code>/waarde/", memo_views.value_report, name="value_report"),
]

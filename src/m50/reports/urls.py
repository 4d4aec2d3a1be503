from django.urls import path

from m50.reports import dashboard_views, views

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
]

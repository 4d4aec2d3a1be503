from django.urls import path

from m50.reports import views

app_name = "reports"
urlpatterns = [
    path("factuurgegevens/", views.billing_change, name="billing_change"),
]

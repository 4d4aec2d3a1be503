from django.urls import path

from m50.activities.views import agenda, detail

app_name = "activities"
urlpatterns: list = [
    path("", agenda.agenda, name="agenda"),
    path("maand/", agenda.month, name="month"),
    path("mijn/", agenda.mine, name="mine"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/aanmelden/", detail.register, name="register"),
    path("<int:pk>/afmelden/", detail.cancel_registration, name="cancel_registration"),
]

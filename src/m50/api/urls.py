from django.urls import path

from m50.api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.OpenApiView.as_view(), name="openapi"),
]

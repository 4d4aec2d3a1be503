from django.urls import path

from m50.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
]

from django.urls import path

from m50.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verzonden/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-hersteld/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

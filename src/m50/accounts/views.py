from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from m50.accounts.forms import LoginForm, NewPasswordForm, ResetRequestForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    permission_rule = "core.view_public"


class LogoutView(auth_views.LogoutView):
    # Logging out is a POST (CSRF-protected) from the header form.
    permission_rule = "core.view_public"


# --- Password reset by e-mail (Django's views, Dutch templates) --------------------------------

RESET_WINDOW_SECONDS = 60 * 60


def _valid_hours() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


def _client_address(request) -> str:
    # The same address django-axes throttles logins by (it knows the proxies in front).
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "onbekend"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Mails a reset link. Requests per client address are limited (in the cache); mails per
    account are limited in :class:`ResetRequestForm` (in the database)."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")
    permission_rule = "core.view_public"

    def post(self, request, *args, **kwargs):
        key = f"m50:password-reset:{_client_address(request)}"
        cache.add(key, 0, RESET_WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RESET_WINDOW_SECONDS)
            count = 1
        if count > settings.M50_PASSWORD_RESET_PER_ADDRESS:
            return render(request, "accounts/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Links in the mail point at the configured site, not at the Host header of the request.
        self.extra_email_context = {
            "site_url": settings.M50_SITE_URL.rstrip("/"),
            "valid_hours": _valid_hours(),
        }
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    permission_rule = "core.view_public"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_hours": _valid_hours()}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    permission_rule = "core.view_public"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    permission_rule = "core.view_public"

"""User management for the bureau. Every write goes through the accounts services, so that
roles, admin access and the audit trail stay in step; the superuser flags are not editable:
they follow the role."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.admin import TokenAdmin

from m50.accounts import services
from m50.accounts.models import LoginAttempt, LoginRecord, User


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role", "municipality")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email", "person")}),
        (_("Rol in het netwerk"), {"fields": ("role", "municipality", "is_active")}),
        (_("Belangrijke datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "role", "municipality", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "email", "role", "municipality", "is_active")
    list_filter = ("role", "is_active")
    # A plain select: the autocomplete widget (select2) has no accessible name.
    raw_id_fields = ("person",)

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.user_create(
                username=obj.username,
                email=obj.email,
                role=obj.role,
                municipality=obj.municipality,
                password=form.cleaned_data.get("password1") or None,
                actor=request.user,
                origin="beheer",
            )
            # The admin goes on with its own instance (for its log and redirect).
            obj.pk, obj.password, obj._state.adding = created.pk, created.password, False
            obj.is_staff, obj.is_superuser = created.is_staff, created.is_superuser
            return
        if {"role", "municipality"} & set(form.changed_data):
            updated = services.user_role_change(
                user=obj,
                role=obj.role,
                municipality=obj.municipality,
                actor=request.user,
                origin="beheer",
            )
            obj.is_staff, obj.is_superuser = updated.is_staff, updated.is_superuser
        super().save_model(request, obj, form, change)


TokenAdmin.raw_id_fields = ("user",)


# --- Login protection (django-axes), in Dutch ---------------------------------------------------


class LockedOutFilter(admin.SimpleListFilter):
    title = _("geblokkeerd")
    parameter_name = "geblokkeerd"

    def lookups(self, request, model_admin):
        return (("ja", _("ja")), ("nee", _("nee")))

    def queryset(self, request, queryset):
        limit = settings.AXES_FAILURE_LIMIT
        if self.value() == "ja":
            return queryset.filter(failures_since_start__gte=limit)
        if self.value() == "nee":
            return queryset.filter(failures_since_start__lt=limit)
        return queryset


class _LoginColumns:
    """The columns of django-axes' records with Dutch headings (its own are English)."""

    @admin.display(description=_("tijdstip"), ordering="attempt_time")
    def attempted_at(self, obj):
        return obj.attempt_time

    @admin.display(description=_("gebruikersnaam"), ordering="username")
    def login_name(self, obj):
        return obj.username

    @admin.display(description=_("IP-adres"), ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description=_("browser"))
    def browser(self, obj):
        return obj.user_agent

    @admin.display(description=_("pagina"))
    def page(self, obj):
        return obj.path_info


@admin.register(LoginAttempt)
class LoginAttemptAdmin(_LoginColumns, admin.ModelAdmin):
    """Failed logins; deleting them lifts the lock (through the accounts service, audited)."""

    list_display = ("attempted_at", "login_name", "address", "failures", "status")
    list_filter = (LockedOutFilter,)
    search_fields = ("username", "ip_address")
    fields = readonly_fields = (
        "login_name",
        "address",
        "attempted_at",
        "failures",
        "status",
        "browser",
        "page",
    )
    actions = ["delete_selected"]

    @admin.display(description=_("mislukte pogingen"), ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("status"))
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left > 0:
            return ngettext("nog %(count)d poging", "nog %(count)d pogingen", left) % {
                "count": left
            }
        return _("geblokkeerd")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.login_attempts_delete(attempts=[obj], actor=request.user, origin="beheer")

    def delete_queryset(self, request, queryset):
        services.login_attempts_delete(attempts=queryset, actor=request.user, origin="beheer")


@admin.register(LoginRecord)
class LoginRecordAdmin(_LoginColumns, admin.ModelAdmin):
    """Successful logins: a log, read only."""

    list_display = ("attempted_at", "logged_out_at", "login_name", "address", "browser")
    search_fields = ("username", "ip_address")
    fields = readonly_fields = (
        "login_name",
        "address",
        "attempted_at",
        "logged_out_at",
        "browser",
        "page",
    )

    @admin.display(description=_("uitgelogd"), ordering="logout_time")
    def logged_out_at(self, obj):
        return obj.logout_time

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Access follows the role (accounts.permissions), not Django's groups: no screen for them.
admin.site.unregister(Group)

"""User management for the bureau. Every write goes through the accounts services, so that
roles, admin access and the audit trail stay in step; the superuser flags are not editable:
they follow the role."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin

from m50.accounts import services
from m50.accounts.models import User


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

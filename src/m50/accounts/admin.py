from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from m50.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Rol in het netwerk"), {"fields": ("role", "municipality", "person")}),
    )
    list_display = ("username", "email", "role", "municipality", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("municipality",)

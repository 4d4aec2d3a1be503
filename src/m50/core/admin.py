"""The beheeromgeving's own name, and the audit trail to look up (never to edit)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from m50.core.models import AuditEvent, Theme

admin.site.site_header = _("Beheer van het M50-platform")
admin.site.site_title = _("Beheer M50")
admin.site.index_title = _("Beheer")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "actor_label", "action", "object_type", "object_repr", "result")
    list_filter = ("result", "action", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id", "action")
    date_hierarchy = "timestamp"
    list_select_related = ("actor",)
    fields = readonly_fields = (
        "timestamp",
        "actor",
        "actor_label",
        "origin",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "result",
        "changes",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    # The shared list of themes: the bureau names, orders and retires them (never deletes one
    # that knowledge or public affairs refer to: those references protect it).
    list_display = ("name", "slug", "position", "active")
    list_editable = ("position", "active")
    list_filter = ("active",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

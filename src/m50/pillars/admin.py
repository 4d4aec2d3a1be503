"""Pillars, theme groups, participations and topics in /beheer/: to look up, not to edit.
Changes go through the pillars services (rules and audit), from the platform's own pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from m50.pillars import models


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class SuccessionInline(ReadOnly, admin.TabularInline):
    model = models.PillarSuccession
    fk_name = "predecessor"
    fields = ("successor", "note")
    extra = 0
    verbose_name_plural = _("opvolgers")


@admin.register(models.Pillar)
class PillarAdmin(ReadOnlyAdmin):
    list_display = ("name", "started_on", "ended", "ended_on")
    list_filter = ("ended",)
    search_fields = ("name",)
    inlines = [SuccessionInline]


@admin.register(models.ThemeGroup)
class ThemeGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "pillar", "started_on", "ended", "ended_on")
    list_filter = ("ended", "pillar")
    list_select_related = ("pillar",)
    search_fields = ("name",)


@admin.register(models.Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = (
        "position",
        "pillar",
        "theme_group",
        "role",
        "category",
        "start_date",
        "end_date",
    )
    list_filter = ("role", "category", "pillar", "theme_group")
    list_select_related = (
        "position__person",
        "position__organisation",
        "pillar",
        "theme_group",
    )
    search_fields = ("position__person__surname", "position__organisation__name")
    date_hierarchy = "start_date"


class StatusChangeInline(ReadOnly, admin.TabularInline):
    model = models.TopicStatusChange
    fields = ("changed_at", "from_status", "to_status", "changed_by_label", "note")
    extra = 0


@admin.register(models.Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ("title", "pillar", "theme_group", "owner", "status", "created_at")
    list_filter = ("status", "pillar", "theme_group", "themes")
    list_select_related = ("pillar", "theme_group", "owner")
    search_fields = ("title",)
    inlines = [StatusChangeInline]


@admin.register(models.ParticipationRequest)
class ParticipationRequestAdmin(ReadOnlyAdmin):
    list_display = ("position", "pillar", "theme_group", "state", "requested_at", "handled_at")
    list_filter = ("state", "pillar", "theme_group")
    list_select_related = ("position__person", "position__organisation", "pillar", "theme_group")

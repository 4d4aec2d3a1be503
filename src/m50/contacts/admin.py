"""Organisations and people in /beheer/: to look up, not to edit. Adding and changing them is
done in the platform's own pages (through the contacts services, audited); removing a person
(for instance on a request under the AVG) is done here, through the service as well."""

from django.contrib import admin
from django.db import models as db_models
from django.utils.translation import gettext_lazy as _

from m50.contacts import models, services


class PositionInline(admin.TabularInline):
    model = models.Position
    extra = 0
    fields = ("person", "organisation", "function", "title", "start_date", "end_date")
    readonly_fields = fields
    verbose_name_plural = _("functies")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "abbreviation")
    list_filter = ("kind",)
    search_fields = ("name", "abbreviation")
    inlines = [PositionInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("surname", "given_name", "email")
    search_fields = ("surname", "given_name", "email")
    inlines = [PositionInline]
    actions = ["delete_selected"]

    def delete_model(self, request, obj):
        services.person_delete(person=obj, actor=request.user, origin="beheer")

    def delete_queryset(self, request, queryset):
        for person in queryset:
            services.person_delete(person=person, actor=request.user, origin="beheer")

from django.contrib import admin

from m50.contacts import models


class PositionInline(admin.TabularInline):
    model = models.Position
    extra = 0
    autocomplete_fields = ("person", "organisation")


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "abbreviation")
    list_filter = ("kind",)
    search_fields = ("name", "abbreviation")
    inlines = [PositionInline]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("surname", "given_name", "email")
    search_fields = ("surname", "given_name", "email")
    inlines = [PositionInline]

from django.contrib import admin

from m50.core.versions import REGISTRY, data_version_bump
from m50.municipalities import models


class RegistryAdmin(admin.ModelAdmin):
    """A change here is a change of the public registry: its version goes up with it (the
    admin saves in a transaction), so no page or API response is answered from before it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        data_version_bump(names=[REGISTRY])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        data_version_bump(names=[REGISTRY])

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        data_version_bump(names=[REGISTRY])


@admin.register(models.Municipality)
class MunicipalityAdmin(RegistryAdmin):
    list_display = ("code", "name", "province", "established_on", "dissolved_on")
    list_filter = ("province",)
    search_fields = ("name", "code")


@admin.register(models.Network)
class NetworkAdmin(RegistryAdmin):
    list_display = ("code", "name")

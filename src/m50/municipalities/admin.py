from django.contrib import admin

from m50.core.search import index
from m50.core.versions import REGISTRY, data_version_bump
from m50.municipalities import models, search
from m50.municipalities.services import municipality_names_refresh


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

    def delete_queryset(self, request, queryset):
        # A bulk delete bypasses Municipality.delete: their search entries go here.
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for pk in ids:
            index.entry_delete(kind=search.SEARCH_KIND, object_id=pk)


@admin.register(models.MunicipalityAlias)
class MunicipalityAliasAdmin(RegistryAdmin):
    """The names people use; saving or deleting one refreshes its municipality's search terms
    (the model does, see MunicipalityAlias.save)."""

    list_display = ("name", "municipality", "kind", "source")
    list_filter = ("kind",)
    search_fields = ("name", "municipality__name")
    autocomplete_fields = ("municipality",)

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("municipality_id", flat=True))
        super().delete_queryset(request, queryset)
        municipality_names_refresh(municipality_ids=ids)
        search.municipalities_index(municipality_ids=ids)


@admin.register(models.Network)
class NetworkAdmin(RegistryAdmin):
    list_display = ("code", "name")

from django.contrib import admin

from m50.municipalities import models


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province", "established_on", "dissolved_on")
    list_filter = ("province",)
    search_fields = ("name", "code")


@admin.register(models.Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("code", "name")

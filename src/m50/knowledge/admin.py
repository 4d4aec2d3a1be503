"""Knowledge items and their documents in /beheer/: to look up, not to edit. Changes go through
the knowledge services (rules, audit, the search index), from the platform's own pages."""

from django.contrib import admin

from m50.knowledge import models


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnly, admin.TabularInline):
    model = models.KnowledgeDocument
    fields = ("version", "filename", "content_type", "size", "text_status", "uploaded_at")
    extra = 0


@admin.register(models.KnowledgeItem)
class KnowledgeItemAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "form", "kind", "date", "access", "status")
    list_filter = ("status", "access", "form", "kind")
    search_fields = ("title",)
    date_hierarchy = "date"
    inlines = [DocumentInline]


@admin.register(models.KnowledgeDocument)
class KnowledgeDocumentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("filename", "item", "version", "size", "text_status", "uploaded_at")
    list_filter = ("text_status",)
    exclude = ("text",)

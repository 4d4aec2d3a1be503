"""The Tweede Kamer's data in /beheer/: to look up, not to edit; the sync keeps it."""

from django.contrib import admin

from m50.publicaffairs import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Fractie)
class FractieAdmin(ReadOnlyAdmin):
    list_display = ("abbreviation", "name", "seats", "active_from", "active_to")
    search_fields = ("name", "abbreviation")


@admin.register(models.MemberOfParliament)
class MemberOfParliamentAdmin(ReadOnlyAdmin):
    list_display = ("display_name", "function", "fractie", "residence", "municipality")
    list_select_related = ("fractie", "municipality")
    search_fields = ("display_name", "surname", "residence")


@admin.register(models.FractieMembership)
class FractieMembershipAdmin(ReadOnlyAdmin):
    list_display = ("member", "fractie", "function", "start", "end")
    list_select_related = ("member", "fractie")


@admin.register(models.Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ("name", "abbreviation", "kind", "active_to")
    search_fields = ("name", "abbreviation")


@admin.register(models.Motion)
class MotionAdmin(ReadOnlyAdmin):
    list_display = ("number", "date", "subject", "cabinet_appraisal", "source")
    list_filter = ("source",)
    search_fields = ("number", "subject", "title")


@admin.register(models.Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("motion", "kind", "result", "vote_count")
    list_select_related = ("motion",)
    search_fields = ("motion__number",)


@admin.register(models.Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("decision", "actor_name", "kind", "fractie_size", "mistake")
    list_select_related = ("decision",)
    search_fields = ("actor_name",)


@admin.register(models.ParliamentActivity)
class ParliamentActivityAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "subject", "committee_name", "status")
    search_fields = ("subject", "number")


@admin.register(models.SyncState)
class SyncStateAdmin(ReadOnlyAdmin):
    list_display = ("entity", "last_changed_at", "last_run_at", "resume_url")


@admin.register(models.SyncedFile)
class SyncedFileAdmin(ReadOnlyAdmin):
    list_display = ("name", "entity", "applied_at", "digest")
    search_fields = ("name", "digest")

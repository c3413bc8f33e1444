from django.contrib import admin

from .models import SyncRun


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    """Read-only: files are checked and applied on the organisation page."""

    list_display = ["filename", "source", "status", "created_by", "created_at", "applied_at"]
    list_filter = ["status", "source"]
    fields = ["filename", "source", "status", "created_by", "created_at", "applied_at", "progress", "summary"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

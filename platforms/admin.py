"""The administration's page for the platform catalogue. It saves and deletes through
platforms/services.py, so a change is audited and the register's answers that name the
platform are made again."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Platform
from .templatetags.platforms import platform_icon


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["icon_preview", "name", "profile_url_pattern", "is_active", "position"]
    list_display_links = ["name"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    fields = ["name", "slug", "profile_url_pattern", "is_active", "position", "icon", "icon_preview", "url_rules"]
    readonly_fields = ["icon_preview"]

    @admin.display(description=_("icon"))
    def icon_preview(self, platform):
        return platform_icon(platform)

    def save_model(self, request, obj, form, change):
        services.platform_save(platform=obj, actor=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        services.platform_delete(platform=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for platform in queryset:
                services.platform_delete(platform=platform, actor=request.user)

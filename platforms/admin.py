from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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

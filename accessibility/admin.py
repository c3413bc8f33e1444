from django.contrib import admin

from accounts.admin import OrganisationScoped, kept_organisation
from accounts.models import Organisation

from . import services
from .models import StatementLink


@admin.register(StatementLink)
class StatementLinkAdmin(OrganisationScoped, admin.ModelAdmin):
    """An organisation's own accessibility statement on uustatus.no, which the footer of its pages
    links. Saved and removed through the services, so each change is in the audit log; an
    organisation's own administrator keeps only their organisation's."""

    list_display = ["organisation", "url"]
    search_fields = ["organisation__name", "url"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kept = kept_organisation(request)
        if db_field.name == "organisation" and kept is not None:
            kwargs["queryset"] = Organisation.objects.filter(pk=kept)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.statement_link_save(link=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.statement_link_delete(link=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for link in queryset:
            services.statement_link_delete(link=link, actor=request.user)

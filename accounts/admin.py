"""The administration's pages for organisations, people, units and memberships. They save and
delete through accounts' services, so a change made here is audited and heard like any other (a
person deactivated here hands over their accounts, a unit renamed here is renamed in the
register's answers).

Who keeps what (in the manner of pretix's organizer teams):
- a super-administrator (is_superuser) adds and changes organisations, and keeps every
  organisation's units and people;
- an organisation's own administrator (is_staff, not a superuser, with the permissions a group
  gives) keeps that organisation's units and people only: the lists, the pages, the choices in
  the forms (part of, leader, unit, person) and the search hold nothing of another
  organisation, and what they add belongs to their organisation. They cannot make anyone a
  super-administrator or an administrator.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import AdminLoginForm, ThrottledPasswordChangeForm
from .models import Membership, Organisation, Unit, User

# The administration's login goes through the same throttle as the portal's, and says so.
admin.site.login_form = AdminLoginForm
admin.site.password_change_form = ThrottledPasswordChangeForm


def kept_organisation(request) -> int | None:
    """The organisation whose units and people this administrator keeps; None for a
    super-administrator, who keeps them all."""
    if request.user.is_superuser:
        return None
    return request.user.organisation_id or -1  # nobody's: sees nothing


class OrganisationScoped:
    """A ModelAdmin mixin: an organisation's own administrator sees and chooses only what belongs to
    their organisation (`organisation_path` is the row's way to it)."""

    organisation_path = "organisation_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        kept = kept_organisation(request)
        return queryset if kept is None else queryset.filter(**{self.organisation_path: kept})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kept = kept_organisation(request)
        if kept is not None:
            if db_field.related_model is Unit:
                kwargs["queryset"] = Unit.objects.filter(organisation_id=kept)
            elif db_field.related_model is User:
                kwargs["queryset"] = User.objects.filter(organisation_id=kept)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(OrganisationScoped, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]
    organisation_path = "unit__organisation_id"


@transaction.atomic
def save_memberships(request, formset) -> None:
    """The membership rows of a person's or a unit's page, through the services: a row removed
    takes the person out of the unit, a row added puts them in, a row changed does both."""
    formset.save(commit=False)  # sorts the rows into new, changed and deleted; writes nothing
    for membership in formset.deleted_objects:
        services.membership_remove(membership=membership, actor=request.user)
    for membership, _changed in formset.changed_objects:
        before = Membership.objects.select_related("user", "unit").get(pk=membership.pk)
        services.membership_remove(membership=before, actor=request.user)
        services.membership_add(user=membership.user, unit=membership.unit, actor=request.user)
    for membership in formset.new_objects:
        services.membership_add(user=membership.user, unit=membership.unit, actor=request.user)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "slug",
            "register_id",
            "is_active",
            "is_region",
            "region",
            "mailbox",
            "sender",
            "host_names",
            "logo",
            "colour",
            "language",
        ]
        widgets = {
            "host_names": forms.Textarea(attrs={"rows": 3}),
            # The administration sets a file field in a fieldset whose legend names it; the file
            # input itself needs a name of its own for screen readers (WCAG 4.1.2).
            "logo": forms.ClearableFileInput(attrs={"aria-label": _("Logo")}),
        }

    def _post_clean(self):
        super()._post_clean()  # the instance has the form's values from here on
        if not self.errors:
            try:
                services.organisation_check(self.instance)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisations are added and changed by super-administrators only; they are never deleted
    here (units and people hold on to them), but can be made inactive."""

    form = OrganisationForm
    list_display = ["name", "short_name", "slug", "region", "is_region", "mailbox", "is_active"]
    list_filter = ["is_region", "is_active", "region"]
    search_fields = ["name", "short_name", "slug", "register_id", "host_names"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "register_id", "is_active"]}),
        (_("Region"), {"fields": ["is_region", "region"]}),
        (_("Communications Department"), {"fields": ["mailbox", "sender"]}),
        (_("Pages"), {"fields": ["host_names", "logo", "colour", "language"]}),
    ]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.organisation_save(organisation=obj, actor=request.user, changed=form.changed_data)


@admin.register(User)
class UserAdmin(OrganisationScoped, BaseUserAdmin):
    ordering = ["full_name"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "organisation" and field is not None:
            # Organisations are added and changed on their own pages, so no buttons beside the choice.
            # Its help text goes too: on a phone the administration lays a choice's help text under
            # the choice's box (WCAG 1.4.3 cannot be read there); the label says enough.
            field.help_text = ""
            widget = field.widget
            if hasattr(widget, "can_add_related"):
                widget.can_add_related = widget.can_change_related = widget.can_view_related = False
                widget.can_delete_related = False
        return field

    list_display = ["full_name", "email", "organisation", "is_adviser", "is_staff", "is_active"]
    list_filter = ["is_adviser", "is_staff", "is_active", "organisation"]
    search_fields = ["full_name", "email", "employee_id", "sso_subject"]
    actions = ["allow_sso_link"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "organisation", "language", "employee_id"]}),
        (_("Roles"), {"fields": ["is_adviser", "is_active", "inactive_reason", "is_staff", "is_superuser"]}),
        (_("Single sign-on"), {"fields": ["sso_subject", "sso_may_link", "in_register"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "organisation", "password1", "password2"]}),
    ]

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else [f for f in self.list_filter if f != "organisation"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        # Their own organisation's administrator makes nobody an administrator, and moves
        # nobody to another organisation.
        return [*self.readonly_fields, "organisation", "is_staff", "is_superuser"]

    def save_model(self, request, obj, form, change):
        kept = kept_organisation(request)
        if kept is not None:
            obj.organisation_id = kept
        services.person_save(user=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            save_memberships(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        services.person_delete(user=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for person in queryset:
                services.person_delete(user=person, actor=request.user)

    @admin.action(description=_("Let the next login with the hospital account take over these people"))
    def allow_sso_link(self, request, queryset):
        services.people_allow_sso_link(people=queryset, actor=request.user)


@admin.register(Unit)
class UnitAdmin(OrganisationScoped, admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "parent", "leader", "is_active", "register_id"]
    list_filter = ["kind", "is_active", "organisation"]
    search_fields = ["name", "register_id"]
    readonly_fields = ["closed_at"]
    autocomplete_fields = ["parent", "leader"]
    inlines = [MembershipInline]

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else [f for f in self.list_filter if f != "organisation"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return [*self.readonly_fields, "organisation"]

    def save_model(self, request, obj, form, change):
        kept = kept_organisation(request)
        if kept is not None:
            obj.organisation_id = kept
        elif not change and obj.organisation_id is None and obj.parent_id:
            obj.organisation_id = obj.parent.organisation_id
        services.unit_save(unit=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            save_memberships(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        services.unit_delete(unit=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for unit in queryset:
                services.unit_delete(unit=unit, actor=request.user)

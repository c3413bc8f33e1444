"""The administration's pages for people, units and memberships. They save and delete through
accounts' services, so a change made here is audited and heard like any other (a person
deactivated here hands over their accounts, a unit renamed here is renamed in the register's
answers)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import AdminLoginForm, ThrottledPasswordChangeForm
from .models import Membership, Unit, User

# The administration's login goes through the same throttle as the portal's, and says so.
admin.site.login_form = AdminLoginForm
admin.site.password_change_form = ThrottledPasswordChangeForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_adviser", "is_staff", "is_active"]
    list_filter = ["is_adviser", "is_staff", "is_active"]
    search_fields = ["full_name", "email", "employee_id", "sso_subject"]
    actions = ["allow_sso_link"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language", "employee_id"]}),
        (_("Roles"), {"fields": ["is_adviser", "is_active", "inactive_reason", "is_staff", "is_superuser"]}),
        (_("Single sign-on"), {"fields": ["sso_subject", "sso_may_link", "in_register"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
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
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "leader", "is_active", "register_id"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "register_id"]
    readonly_fields = ["closed_at"]
    autocomplete_fields = ["parent", "leader"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
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

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm, ThrottledPasswordChangeForm
from .models import Membership, Unit, User

# The administration's login goes through the same throttle as the portal's, and says so.
admin.site.login_form = AdminLoginForm
admin.site.password_change_form = ThrottledPasswordChangeForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


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

    @admin.action(description=_("Let the next login with the hospital account take over these people"))
    def allow_sso_link(self, request, queryset):
        queryset.filter(sso_subject__isnull=True).update(sso_may_link=True)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "leader", "is_active", "register_id"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "register_id"]
    readonly_fields = ["closed_at"]
    autocomplete_fields = ["parent", "leader"]
    inlines = [MembershipInline]

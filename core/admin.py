from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .emails import email_resend
from .models import AuditEntry, OutboundEmail


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: administrators may read them, never edit them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipients", "status", "attempts", "delivery", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "to"]
    readonly_fields = [
        "template",
        "to",
        "subject",
        "status",
        "attempts",
        "uncertain_sends",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "body_text",
    ]
    exclude = ["body_html"]
    actions = ["resend"]

    @admin.display(description=_("to"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.display(description=_("delivery"))
    def delivery(self, obj):
        """Says so when a send's outcome was unknown and the message went out again (the
        message's page says what that means: the recipient may have two copies)."""
        if not obj.uncertain_sends:
            return ""
        if obj.status == OutboundEmail.Status.SENT:
            return _("Sent again after an unknown outcome")
        return _("An earlier send's outcome is unknown")

    @admin.action(description=_("Send the chosen messages that were given up on again"))
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=OutboundEmail.Status.FAILED))
        # Counted as queued again only when it was (another administrator may have been first).
        resent = sum(email_resend(email=email, actor=request.user) for email in failed)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", resent) % {"count": resent},
            messages.SUCCESS,
        )

    def has_change_permission(self, request, obj=None):
        # Viewing the change list with actions needs this; the fields stay read-only.
        return request.user.is_superuser


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "actor__full_name"]
    readonly_fields = ["created_at", "action", "actor", "target_type", "target_id", "data"]

"""The plan pages: the lists and queue, the plan form, the workflow actions, the review and decision, and the downloads."""

from .actions import (
    plan_action,
    plan_delete,
)
from .common import (
    CONFIRMATIONS,
    DONE_MESSAGES,
    PAGE_SIZE,
    QUEUE_KEYS,
    SENDING,
)
from .downloads import (
    plan_pdf,
    template_docx,
)
from .form import (
    plan_edit,
    plan_readiness,
)
from .pages import (
    plan_comment,
    plan_compare,
    plan_create,
    plan_detail,
    plan_list,
    plan_sent,
    plan_version,
)
from .review import (
    plan_decide,
    plan_review,
    review_queue,
)

__all__ = [
    "CONFIRMATIONS",
    "DONE_MESSAGES",
    "PAGE_SIZE",
    "QUEUE_KEYS",
    "SENDING",
    "plan_action",
    "plan_comment",
    "plan_compare",
    "plan_create",
    "plan_decide",
    "plan_delete",
    "plan_detail",
    "plan_edit",
    "plan_list",
    "plan_pdf",
    "plan_readiness",
    "plan_review",
    "plan_sent",
    "plan_version",
    "review_queue",
    "template_docx",
]

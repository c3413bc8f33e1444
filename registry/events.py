"""What happens to an account in the register, announced by registry/services.py (see core/events.py)."""

from core.events import Event

account_changed = Event(
    "account.changed",
    "Accounts were registered or their details changed: names, addresses, people, the plan "
    "(accounts=list of Account, actor=User or None).",
)
account_status_changed = Event(
    "account.status_changed",
    "An account went from one status to another, closed (\u201cLagd ned\u201d) included "
    "(account=Account, old=str, new=str, actor=User or None).",
)

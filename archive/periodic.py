from core.scheduling import periodic_due

from .services import deliver_due, receipts_read


@periodic_due.subscribe(order=40)
def deliver_and_read_receipts(now) -> str:
    """Deliver what is due (a package the outbox refused, or whose task was lost) and read the
    archive's receipts. Safe to run twice: a delivered package is not due, a read receipt is
    moved out of the inbox."""
    delivered = deliver_due(now=now)
    counts = receipts_read()
    read = sum(counts.values())
    parts = []
    if delivered:
        parts.append(f"{delivered} archive package(s) delivered")
    if read:
        parts.append(f"{read} archive receipt(s) read ({counts['refused']} refused)")
    return "; ".join(parts)

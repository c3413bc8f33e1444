from core.scheduling import periodic_due

from . import throttle


@periodic_due.subscribe(order=20)
def forget_old_login_failures(now) -> str:
    throttle.prune(now)
    return ""


@periodic_due.subscribe(order=30)
def deactivate_people_not_seen(now) -> str:
    """People who log in with the hospital account and have not for SSO_INACTIVE_DAYS have
    probably left: deactivated, so the register hands over the accounts they ran."""
    from .services import people_not_seen_deactivate

    count = people_not_seen_deactivate(now=now)
    return f"{count} people not seen at login deactivated" if count else ""

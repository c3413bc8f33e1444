from core.scheduling import periodic_job

from . import throttle


@periodic_job(order=20)
def forget_old_login_failures(now) -> str:
    throttle.prune(now)
    return ""

from core.scheduling import periodic_job

from .forms import LoginForm


@periodic_job(order=20)
def forget_old_login_failures(now) -> str:
    LoginForm.prune()
    return ""

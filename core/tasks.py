from django.tasks import task

from .emails import email_deliver


@task()
def send_email(email_id: int) -> bool:
    return email_deliver(email_id=email_id)

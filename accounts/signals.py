from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import LoginFailure


@receiver(user_logged_in)
def forget_failures(sender, request, user, **kwargs):
    LoginFailure.objects.filter(email__iexact=user.email).delete()

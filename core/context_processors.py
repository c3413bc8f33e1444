from django.conf import settings


def portal(request):
    return {"DEMO": settings.DEMO, "COMMS_MAILBOX": settings.COMMS_MAILBOX}

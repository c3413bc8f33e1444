from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .mailbox import caught_mail, read_mail


def _demo_only():
    if not settings.DEMO:
        raise Http404


def mail_list(request):
    _demo_only()
    return render(request, "demo/mail_list.html", {"mails": caught_mail()})


def mail_detail(request, name):
    _demo_only()
    mail = read_mail(name)
    if mail is None:
        raise Http404
    # Names, not the parts themselves: a template would read part.get_filename as a header lookup.
    names = [(index, part.get_filename() or "vedlegg") for index, part in enumerate(mail.attachments())]
    return render(request, "demo/mail_detail.html", {"mail": mail, "attachments": names})


def mail_attachment(request, name, index):
    _demo_only()
    mail = read_mail(name)
    attachments = mail.attachments() if mail else []
    if index >= len(attachments):
        raise Http404
    part = attachments[index]
    response = HttpResponse(part.get_content(), content_type=part.get_content_type())
    response["Content-Disposition"] = f'inline; filename="{part.get_filename() or "vedlegg"}"'
    return response

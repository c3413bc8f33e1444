"""Add an organisation to the portal (a super-administrator's task; the administration's
organisation page does the same), or change one that has the same address name:

    manage.py organisation_add "Helse Stavanger" --slug helse-stavanger --short-name "Stavanger" \
        --mailbox kommunikasjon@helse-stavanger.no --sender some@helse-stavanger.no \
        --host some.helse-stavanger.no --region helse-vest --colour "#00509e" --language nb

    manage.py organisation_add "Helse Vest RHF" --slug helse-vest --is-region --mailbox post@helse-vest.no

Checked as in the administration: a host name belongs to one organisation only, the name and
the address name are unique, and a region is never inside a region. Nothing is saved when a
check fails.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from accounts import services
from accounts.models import Organisation


class Command(BaseCommand):
    help = "Add an organisation (or change the one with the same address name)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="As the public knows it, such as “Helse Stavanger”.")
        parser.add_argument("--slug", help="The address name (/o/<slug>/). Default: made from the name.")
        parser.add_argument("--short-name", default=None)
        parser.add_argument("--mailbox", help="The Communications Department's mailbox (needed for a new one).")
        parser.add_argument("--sender", default=None, help="The sender address of its e-mails.")
        parser.add_argument("--host", action="append", default=None, help="A host name of its own; may be repeated.")
        parser.add_argument("--logo", type=Path, default=None, help="A PNG or JPEG of at most 200 kB.")
        parser.add_argument("--colour", default=None, help="Such as #00509e.")
        parser.add_argument("--language", default=None, help="nb, nn or en.")
        parser.add_argument("--region", default=None, help="The address name of the region it belongs to.")
        parser.add_argument("--is-region", action="store_true", help="The organisation is a region.")
        parser.add_argument("--register-id", default=None, help="Its id in the organisation register.")

    def handle(self, *, name, slug, **options):
        slug = slug or slugify(name)
        organisation = Organisation.objects.filter(slug=slug).first()
        created = organisation is None
        if created:
            if not options["mailbox"]:
                raise CommandError("A new organisation needs --mailbox.")
            organisation = Organisation(slug=slug)
        organisation.name = name
        changed = ["name"]
        for option, field in [
            ("short_name", "short_name"),
            ("mailbox", "mailbox"),
            ("sender", "sender"),
            ("colour", "colour"),
            ("language", "language"),
            ("register_id", "register_id"),
        ]:
            if options[option] is not None:
                setattr(organisation, field, options[option] or None if field == "register_id" else options[option])
                changed.append(field)
        if options["host"] is not None:
            organisation.host_names = "\n".join(options["host"])
            changed.append("host_names")
        if options["is_region"]:
            organisation.is_region = True
            changed.append("is_region")
        if options["region"] is not None:
            region = Organisation.objects.filter(slug=options["region"]).first()
            if region is None:
                raise CommandError(f"No organisation has the address name {options['region']!r}.")
            organisation.region = region
            changed.append("region")
        if options["logo"] is not None:
            if not options["logo"].is_file():
                raise CommandError(f"No file {options['logo']}.")
            handle = options["logo"].open("rb")
            organisation.logo = File(handle, name=options["logo"].name)
            changed.append("logo")
        try:
            services.organisation_save(organisation=organisation, actor=None, changed=changed)
        except ValidationError as error:
            lines = [
                f"{field}: {message}" if field != "__all__" else message
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("Not saved:\n  " + "\n  ".join(lines)) from None
        finally:
            if options["logo"] is not None:
                handle.close()
        self.stdout.write(
            f"{'Added' if created else 'Changed'} {organisation.name} ({organisation.slug}): "
            f"/o/{organisation.slug}/, mailbox {organisation.mailbox}"
            + (f", host names {', '.join(organisation.hosts())}" if organisation.hosts() else "")
        )

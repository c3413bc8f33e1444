"""The shipped assessments of December 2026 said their date in words at the start of the reason
("Vurdert desember 2026. …"), from before the terms kept the date as a field of their own. The
date is shown beside the position now, so the words go: where the reason is still the portal's
starting point (no adviser has saved it), the words are taken off and the date kept as the field.
Terms an adviser has saved are theirs, and are left as they are."""

import datetime

from django.db import migrations

PREFIX = "Vurdert desember 2026. "
ASSESSED_ON = datetime.date(2026, 12, 1)


def take_off_the_date(apps, schema_editor):
    PlatformTerms = apps.get_model("facts", "PlatformTerms")
    for terms in PlatformTerms.objects.filter(updated_by__isnull=True, reason__startswith=PREFIX):
        terms.reason = terms.reason[len(PREFIX) :]
        terms.assessed_on = terms.assessed_on or ASSESSED_ON
        terms.save(update_fields=["reason", "assessed_on"])


class Migration(migrations.Migration):
    dependencies = [("facts", "0004_platform_terms_assessed_on")]
    operations = [migrations.RunPython(take_off_the_date, migrations.RunPython.noop)]

"""Courses per organisation: a course belongs to an organisation (or to none: a regional course),
a session to the organisation that holds it, and each organisation's gate requires its own
choice of courses. An installation from before keeps what it had: its courses and sessions
become the one organisation's, and that organisation's gate requires the courses that were
required of every editor."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Course = apps.get_model("courses", "Course")
    Session = apps.get_model("courses", "Session")
    if not Course.objects.exists():
        return
    wanted = settings.DEFAULT_ORGANISATION
    organisation, _made = Organisation.objects.get_or_create(
        slug=wanted["slug"], defaults={"name": wanted["name"], "mailbox": wanted["mailbox"]}
    )
    Course.objects.filter(organisation__isnull=True).update(organisation=organisation)
    Session.objects.filter(organisation__isnull=True).update(organisation=organisation)
    for course in Course.objects.filter(required_for_editors=True):
        course.required_by.add(organisation)


def backwards(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    Course.objects.filter(required_by__isnull=False).update(required_for_editors=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_unit_organisation_required"),
        ("courses", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                help_text="Who runs the course. Empty: a regional course, offered to the staff of every organisation.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="courses",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="course",
            name="required_by",
            field=models.ManyToManyField(
                blank=True,
                help_text="The organisations whose editors and deputies of official accounts must hold a valid "
                "completion of it.",
                related_name="required_courses",
                to="accounts.organisation",
                verbose_name="required for account editors of",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="session",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RemoveField(model_name="course", name="required_for_editors"),
    ]

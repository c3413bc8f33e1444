from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # The register's competence gate asks this app who lacks the required training, and
        # what the reader can do about it.
        from registry import competence as gate

        from . import competence, remedies

        gate.training_source(
            missing=competence.missing_for, changed=competence.accounts_changed, remedies=remedies.remedies_for
        )

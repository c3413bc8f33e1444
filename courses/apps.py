from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # The register's competence gate asks this app who lacks the required training.
        from . import competence  # noqa: F401

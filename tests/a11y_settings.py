"""The portal's own settings for the accessibility sweep's server (tests/test_a11y_sweep.py):
its static files are read from the source folders, as the tests render them, so the sweep
always sees the style sheet and script of the working tree, never an old collected copy."""

from config.settings import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

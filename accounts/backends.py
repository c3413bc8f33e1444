from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """E-mail and password. Kept as its own class so single sign-on can take its place."""

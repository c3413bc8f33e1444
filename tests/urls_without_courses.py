"""The portal's addresses without the courses page, as a site without the courses app has them."""

from config.urls import urlpatterns as portal

urlpatterns = [p for p in portal if getattr(getattr(p, "urlconf_name", None), "__name__", "") != "courses.urls"]

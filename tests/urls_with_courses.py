"""The portal's addresses with a courses page at /kurs/, as the courses app will add it."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as portal

courses = ([path("", lambda request: HttpResponse("Kurs"), name="list")], "courses")
urlpatterns = [path("kurs/", include(courses)), *portal]

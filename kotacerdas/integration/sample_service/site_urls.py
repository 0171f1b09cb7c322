"""The site's URLs built again, with whatever apps are installed now (the
project's urls module is imported once, before a test installs this app)."""

from kotacerdas.urls import build_urlpatterns

urlpatterns = build_urlpatterns()

"""Reports and cases are deliberately not in the admin: they are reached only
through the protection unit's pages, where every opening is audited. (The
holidays that count for the deadlines are the city's, in ``workdays``.)"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kotacerdas.reports.models import Open311Client


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Deactivate a city app here; keys are issued by ``manage.py open311_key``."""

    list_display = ["name", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["name", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A client made here would have no key; the command prints one.
        return False

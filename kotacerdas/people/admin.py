from __future__ import annotations

from django.contrib import admin

from kotacerdas.people.models import Citizen


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "last_sign_in"]
    raw_id_fields = ["person"]

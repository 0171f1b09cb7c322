from __future__ import annotations

from django.contrib import admin

from kotacerdas.posyandu.models import MinimumGain, Posyandu, ScheduleDose


@admin.register(Posyandu)
class PosyanduAdmin(admin.ModelAdmin):
    """Posyandu, their RW, puskesmas and opening day. Children and measurements are
    reached only through the posyandu pages, where access is scoped and audited."""

    list_display = ["name", "rw", "puskesmas", "opening_day", "active"]
    list_filter = ["active", "puskesmas"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "rw"]


@admin.register(MinimumGain)
class MinimumGainAdmin(admin.ModelAdmin):
    """KBM: sign off against the Buku KIA edition in use."""

    list_display = ["age_months", "grams"]


@admin.register(ScheduleDose)
class ScheduleDoseAdmin(admin.ModelAdmin):
    """The national immunisation schedule as data [verify with Dinkes]."""

    list_display = [
        "label",
        "antigen",
        "dose",
        "age_days",
        "min_interval_days",
        "max_age_days",
        "active",
    ]
    list_filter = ["active", "antigen"]

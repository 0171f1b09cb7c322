from __future__ import annotations

from django.contrib import admin

from kotacerdas.regions.models import RT, RW, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "name", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(RW)
class RWAdmin(admin.ModelAdmin):
    list_display = ["kelurahan", "number", "name"]
    list_filter = ["kelurahan"]


@admin.register(RT)
class RTAdmin(admin.ModelAdmin):
    list_display = ["rw", "number"]
    list_select_related = ["rw__kelurahan"]

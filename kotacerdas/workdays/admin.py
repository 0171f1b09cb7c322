from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from kotacerdas.workdays import actions
from kotacerdas.workdays.models import DayOff


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    """The city's calendar, kept by city administrators (docs/operations.md).

    Every save and delete goes through ``workdays.actions``: audited, and the
    hospital closes or keeps its clinics accordingly.
    """

    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: DayOff, form: ModelForm, change: bool) -> None:
        fields: dict[str, Any] = {f: form.cleaned_data[f] for f in actions.FIELDS}
        if change:
            actions.change_day_off(obj, request=request, **fields)
        else:
            saved = actions.add_day_off(request=request, **fields)
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: DayOff) -> None:
        actions.remove_day_off(obj, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DayOff]) -> None:
        for day_off in queryset:
            actions.remove_day_off(day_off, request=request)

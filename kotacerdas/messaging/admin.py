from __future__ import annotations

from django.contrib import admin

from kotacerdas.messaging.models import Message
from kotacerdas.people.models import Citizen


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "direction", "adapter", "masked_phone", "status", "purpose"]
    list_filter = ["direction", "status", "adapter", "purpose"]
    readonly_fields = [f.name for f in Message._meta.fields]
    exclude = ["text"]  # the message text is personal; operators read it on the message page


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "last_sign_in"]
    raw_id_fields = ["person"]

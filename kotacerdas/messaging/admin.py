from __future__ import annotations

from django.contrib import admin

from kotacerdas.messaging.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "direction", "adapter", "masked_phone", "status", "purpose"]
    list_filter = ["direction", "status", "adapter", "purpose"]
    readonly_fields = [f.name for f in Message._meta.fields]
    exclude = ["text"]  # the message text is personal; operators read it on the message page

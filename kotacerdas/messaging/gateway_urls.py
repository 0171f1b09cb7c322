"""URLs that SMS gateways call (inbound messages, delivery reports), under /sms/."""

from __future__ import annotations

from django.urls import path

from kotacerdas.messaging import gateway_views

app_name = "sms-gateway"

urlpatterns = [
    path("kannel/<str:token>/masuk", gateway_views.kannel_inbound, name="kannel-inbound"),
    path("kannel/<str:token>/dlr", gateway_views.kannel_delivery, name="kannel-delivery"),
    path("webhook/<str:token>/masuk", gateway_views.webhook_inbound, name="webhook-inbound"),
    path("webhook/<str:token>/status", gateway_views.webhook_status, name="webhook-status"),
]

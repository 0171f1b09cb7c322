from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.messaging.phones import mask_phone


class Message(models.Model):
    """One SMS, in or out, stored before it is processed or sent.

    Inbound: ``received`` → ``processed`` (routed, reply queued) or
    ``retry`` (a handler failed; the raw text is kept and processed again).
    Outbound: ``queued`` → ``sending`` → ``sent`` → ``delivered``, or
    ``failed`` after the last retry, where an operator can resend it. A worker
    marks a message ``sending`` with a lease (``lease_until``) and commits
    before it calls the gateway; if the worker dies mid-call, the message is
    taken again once the lease has expired.
    """

    class Direction(models.TextChoices):
        IN = "in", _("Incoming")
        OUT = "out", _("Outgoing")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        RETRY = "retry", _("Waiting to retry")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    adapter = models.CharField(_("gateway"), max_length=20)
    gateway_id = models.CharField(_("gateway message id"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    our_number = models.CharField(_("our number"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    purpose = models.CharField(_("purpose"), max_length=40, blank=True, db_index=True)
    keyword = models.CharField(_("keyword"), max_length=20, blank=True)
    encoding = models.CharField(max_length=4, blank=True)
    segments = models.PositiveSmallIntegerField(_("segments"), default=1)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While being sent or routed: until when the worker that took it owns it.
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    gateway_time = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        constraints = [
            # The same gateway message delivered twice is stored once.
            models.UniqueConstraint(
                fields=["adapter", "direction", "gateway_id"],
                condition=~models.Q(gateway_id=""),
                name="message_unique_gateway_id",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["direction", "phone", "created_at"], name="message_phone_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.masked_phone} {self.get_status_display()}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class OneTimeCode(models.Model):
    """A 6-digit sign-in code sent by SMS: stored hashed, short-lived, few tries."""

    phone = models.CharField(max_length=16, db_index=True)
    code_hash = models.CharField(max_length=128)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"code for {mask_phone(self.phone)}"

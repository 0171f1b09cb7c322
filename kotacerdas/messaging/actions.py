"""Every change to messages goes through here: store first, then process or send."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.core import limits
from kotacerdas.messaging import outbox, router, statements, wake
from kotacerdas.messaging.encoding import count_segments
from kotacerdas.messaging.models import Message, OneTimeCode
from kotacerdas.messaging.phones import inbound_sender, normalise_mobile
from kotacerdas.people.models import Citizen

logger = logging.getLogger(__name__)

IN, OUT = Message.Direction.IN, Message.Direction.OUT
S = Message.Status


class RateLimited(ValidationError):
    """Too many messages to one number: the message is not stored."""


def receive(
    *,
    adapter: str,
    phone: str,
    text: str,
    gateway_id: str = "",
    our_number: str = "",
    gateway_time: dt.datetime | None = None,
) -> tuple[Message, bool]:
    """Store an inbound SMS once and queue its processing; (message, created).

    The same gateway message delivered twice (same adapter and gateway id,
    or without an id the same sender and text within a few seconds) is
    stored once. Nothing here can refuse a message: processing comes later.
    """
    # PostgreSQL text cannot hold NUL; a gateway may pass one through. Replaced,
    # so the message is stored rather than refused and retried for ever.
    phone, text, gateway_id, our_number = (
        value.replace("\x00", "\ufffd") for value in (phone, text, gateway_id, our_number)
    )
    sender = inbound_sender(phone)
    if sender is None:
        return _refuse_sender(adapter, phone, text, gateway_id, our_number, gateway_time)
    if not gateway_id:
        # Without a gateway id only a look-back can tell a repeat.
        duplicate = _duplicate_of(adapter, sender, text, gateway_id)
        if duplicate is not None:
            return duplicate, False
    segments = count_segments(text)
    message = Message(
        direction=IN,
        adapter=adapter,
        gateway_id=gateway_id[:100],
        phone=sender,
        our_number=our_number[:20],
        text=text,
        status=S.RECEIVED,
        encoding=segments.encoding,
        segments=min(segments.count, 255),
        gateway_time=gateway_time,
    )
    if not statements.insert_once(message):
        # The unique gateway id: this message is already stored (a gateway retry).
        duplicate = _duplicate_of(adapter, sender, text, gateway_id)
        if duplicate is None:
            raise IntegrityError(f"inbound SMS {adapter}/{gateway_id[:100]} neither new nor found")
        return duplicate, False
    transaction.on_commit(wake.routers)
    return message, True


def process(message_id: int | None = None) -> dict[str, Any]:
    """Route ``message_id`` and a batch of other waiting inbound messages. Idempotent.

    Any number of workers route at once. A worker claims its batch in one
    short statement (``FOR UPDATE SKIP LOCKED``: rows another worker is
    claiming are skipped, not waited for) that gives each message a lease,
    then routes each message in a transaction of its own: a handler's locks
    (a rate-limit counter, a booking) are held for one message, never across
    a batch, so two workers cannot deadlock. A full batch wakes another
    worker for the rest (``wake``). A worker that dies mid-batch leaves the
    rest to be claimed again when the lease expires.
    """
    batch = _claim_inbound(message_id, settings.SMS_ROUTE_BATCH)
    if len(batch) >= settings.SMS_ROUTE_BATCH:
        wake.routers(more=True)
    with wake.held():  # the replies' senders woken once, after the batch
        statuses = {message.pk: _route(message) for message in batch}
    if message_id is None or message_id not in statuses:
        return {"message": message_id, "skipped": True, "batch": len(batch)}
    return {"message": message_id, "status": statuses[message_id], "batch": len(batch)}


def _claim_inbound(first: int | None, limit: int) -> list[Message]:
    """Lease ``first`` (even before its retry time) and up to ``limit`` others just received."""
    now = timezone.now()
    free = models.Q(lease_until__isnull=True) | models.Q(lease_until__lt=now)
    waiting = models.Q(status=S.RECEIVED) & free
    order: list[Any] = ["id"]
    if first is not None:
        waiting |= models.Q(pk=first, status__in=[S.RECEIVED, S.RETRY]) & free
        order.insert(0, models.Case(models.When(pk=first, then=0), default=1))
    lease = now + dt.timedelta(seconds=settings.SMS_ROUTE_LEASE_SECONDS)
    with transaction.atomic():
        batch = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(waiting, direction=IN)
            .order_by(*order)[:limit]
        )
        if batch:
            Message.objects.filter(pk__in=[m.pk for m in batch]).update(lease_until=lease)
    for message in batch:
        message.lease_until = lease
    return batch


def _route(message: Message) -> str:
    """Route one leased message in its own transaction; its status after.

    The first statement marks the message routed, if it is still ours (our
    lease could have run out while an earlier message of the batch took long,
    and another worker routed it): that UPDATE locks it and says whether to
    go on. The handler's writes and the reply follow in the same transaction;
    if the handler fails, all of it rolls back and the message waits to be
    routed again.
    """
    keyword, rest = router.split_keyword(message.text)
    route = router.find(keyword)
    message.keyword = keyword[:20] if route else ""
    try:
        with transaction.atomic():
            if not statements.mark_routed(message):
                return "skipped"
            reply = route.handler(message, rest) if route else router.help_text()
            if reply:
                _reply(message, reply, keyword=message.keyword or "help")
    except Exception as exc:  # a module's handler failed: keep the message, retry later
        logger.exception("SMS %s: handler for %r failed", message.pk, keyword)
        with transaction.atomic():
            _schedule_retry(message, f"{type(exc).__name__}: {exc}")
    return str(message.status)


def send_sms(
    phone: str,
    text: str,
    *,
    purpose: str,
    related: models.Model | None = None,
    adapter: str | None = None,
    reply_to: Message | None = None,
) -> Message:
    """Store an outbound SMS and send it once the caller's transaction commits.

    Raises ValidationError for a number that is not an Indonesian mobile,
    and RateLimited when the number has had too many messages this hour.
    """
    number = sms_number(phone)
    # No savepoint of its own: one INSERT, nothing to roll back to.
    with transaction.atomic(savepoint=False):
        return queue_sms(
            number, text, purpose=purpose, related=related, adapter=adapter, reply_to=reply_to
        )


def sms_number(phone: str) -> str:
    """The number an SMS to ``phone`` goes to, counted against its hourly limit.

    The half of :func:`send_sms` that can refuse: a caller that must store its
    SMS in a short transaction of its own (a booking's confirmation) asks here
    first, then stores with :func:`queue_sms`. Raises ValidationError for a
    number that is not an Indonesian mobile, RateLimited past the limit.
    """
    number = normalise_mobile(phone)
    if not limits.hit("sms_out_per_number", number):
        raise RateLimited(
            _("Too many messages to this number in the last hour; try again later."),
            code="rate_limited",
        )
    return number


def queue_sms(
    number: str,
    text: str,
    *,
    purpose: str,
    related: models.Model | None = None,
    adapter: str | None = None,
    reply_to: Message | None = None,
) -> Message:
    """Store an outbound SMS to ``number`` (from :func:`sms_number`): one INSERT.

    Call inside the transaction of the change it reports: the message commits
    with it or not at all, and the outbox worker sends it after the commit
    (``messaging.outbox``). A process that dies after the commit leaves it
    ``queued``, where the next worker (or ``sms_sweep``) finds it.
    """
    message = _outbound(number, text, purpose, related, adapter, reply_to)
    statements.insert_once(message)  # no gateway id yet: always new
    transaction.on_commit(wake.senders)
    return message


def new_sms(
    number: str,
    text: str,
    *,
    purpose: str,
    related: models.Model | None = None,
    adapter: str | None = None,
    reply_to: Message | None = None,
) -> Message:
    """The message :func:`queue_sms` stores, unsaved, for a caller that stores it with
    its change in one round trip (``core.inserts.insert_together``), in the
    same transaction (which must be open). The senders are woken after its commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("new_sms() is stored in the caller's transaction: open one")
    message = _outbound(number, text, purpose, related, adapter, reply_to)
    transaction.on_commit(wake.senders)
    return message


def _outbound(
    number: str,
    text: str,
    purpose: str,
    related: models.Model | None,
    adapter: str | None,
    reply_to: Message | None,
) -> Message:
    segments = count_segments(text)
    return Message(
        direction=OUT,
        adapter=adapter or settings.SMS_ADAPTER,
        phone=number,
        text=text,
        status=S.QUEUED,
        purpose=purpose[:40],
        encoding=segments.encoding,
        segments=min(segments.count, 255),
        reply_to=reply_to,
        related_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_id=str(related.pk) if related is not None else "",
    )


def deliver(message_id: int | None = None) -> dict[str, Any]:
    """Send ``message_id`` and a batch of other due messages (``messaging.outbox``)."""
    return outbox.deliver(message_id)


# A report may arrive while the worker that sent the message is still recording it (sending).
DELIVERY_ORDER = {S.QUEUED: 0, S.SENDING: 0, S.SENT: 1, S.FAILED: 2, S.DELIVERED: 3}
# A report of these proves the gateway took the message. If ours never learnt
# when (the gateway's answer lost with a restarted smsbox, the send to be
# retried), the report's moment is its sending time: sent by then at the latest.
REACHED_GATEWAY = {S.SENT, S.DELIVERED}


def record_delivery(message: Message, status: str, *, error: str = "") -> bool:
    """A gateway's delivery report; never moves a message backwards."""
    return advance_delivery(Message.objects.filter(pk=message.pk), status, error=error) > 0


def advance_delivery(messages: models.QuerySet[Message], status: str, *, error: str = "") -> int:
    """Move ``messages`` to ``status`` where that is forward; how many moved.

    One UPDATE whose condition is the order (no read, no lock held across
    statements): a gateway sends a report for every message it delivers, as
    many as the messages themselves under a rush.
    """
    changes, behind = _forward(status, error)
    if status in REACHED_GATEWAY:
        changes["sent_at"] = Coalesce("sent_at", Value(timezone.now()))
    return messages.filter(status__in=behind).update(**changes)


def advance_delivery_of(message_id: int, *, adapter: str, status: str, error: str = "") -> int:
    """:func:`advance_delivery` for our message ``message_id`` sent through ``adapter``.

    What Kannel's report of each SMS runs: written out, as building the query
    through the ORM took 40 % of a report's CPU, more than the UPDATE itself.
    """
    changes, behind = _forward(status, error)
    sent_by = timezone.now() if status in REACHED_GATEWAY else None
    return statements.advance_delivery(message_id, OUT, adapter, changes, behind, sent_by=sent_by)


def _forward(status: str, error: str) -> tuple[dict[str, Any], list[str]]:
    """What a report of ``status`` writes, and the statuses it may move a message from."""
    rank = DELIVERY_ORDER.get(S(status), 0)
    behind = [value for value in S.values if DELIVERY_ORDER.get(S(value), 0) < rank]
    changes: dict[str, Any] = {"status": status}
    if status == S.DELIVERED:
        changes["delivered_at"] = timezone.now()
    if error:
        changes["last_error"] = error[:300]
    return changes, behind


def resend(message: Message, *, request: Any) -> Message:
    """An operator sends a failed message again."""
    with transaction.atomic():
        message.status = S.QUEUED
        message.attempts = 0
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        record("sms.resend", obj=message, request=request)
        transaction.on_commit(lambda: _enqueue(_deliver_task(), message.pk))
    return message


def requeue_due(now: dt.datetime | None = None) -> int:
    """Enqueue what waits: retries that are due, and anything whose task was lost.

    Run by ``manage.py sms_sweep`` (cron, or ``--loop``); a message stored
    but never processed (a worker crashed, a queue was purged) is found here.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.SMS_STALE_SECONDS)
    due_or_stale = models.Q(next_attempt_at__lte=now) | models.Q(
        next_attempt_at__isnull=True, created_at__lte=stale
    )
    inbound = list(
        Message.objects.filter(
            due_or_stale, direction=IN, status__in=[S.RECEIVED, S.RETRY]
        ).values_list("pk", flat=True)[:1000]
    )
    # Queued and due (or never enqueued), or sending with a lease run out (a worker died).
    outbound = list(
        Message.objects.filter(
            (due_or_stale & models.Q(status=S.QUEUED))
            | models.Q(status=S.SENDING, lease_until__lt=now),
            direction=OUT,
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in inbound:
        _enqueue(_process_task(), pk)
    for pk in outbound:
        _enqueue(_deliver_task(), pk)
    return len(inbound) + len(outbound)


def _reply(message: Message, text: str, *, keyword: str) -> None:
    try:
        send_sms(
            message.phone,
            text,
            purpose=f"reply:{keyword.lower()}",
            adapter=message.adapter,
            reply_to=message,
        )
    except RateLimited:
        logger.info("SMS %s: no reply, the sender is over the hourly limit", message.pk)
    except ValidationError:
        logger.info("SMS %s: no reply, the sender is not a mobile number", message.pk)


def _schedule_retry(message: Message, error: str) -> None:
    """An inbound message whose handler failed waits and is routed again (outbound: outbox)."""
    message.attempts += 1
    message.status = S.RETRY
    delay = settings.SMS_RETRY_SECONDS * 2 ** max(0, message.attempts - 1)
    message.next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
    message.last_error = error[:300]
    message.lease_until = None
    message.save(
        update_fields=["attempts", "status", "next_attempt_at", "last_error", "lease_until"]
    )
    task = _process_task()
    if task.get_backend().supports_defer:
        when = message.next_attempt_at
        transaction.on_commit(lambda: task.using(run_after=when).enqueue(message.pk))
    # Otherwise `manage.py sms_sweep` picks it up when it is due.


def _refuse_sender(
    adapter: str,
    phone: str,
    text: str,
    gateway_id: str,
    our_number: str,
    gateway_time: dt.datetime | None,
) -> tuple[Message, bool]:
    """Keep a message whose sender is no number (nothing a user sent is lost), but
    route nothing from it and answer nothing: there is no one to answer."""
    if gateway_id:
        duplicate = _duplicate_of(adapter, "", text, gateway_id)
        if duplicate is not None:
            return duplicate, False
    segments = count_segments(text)
    message = Message.objects.create(
        direction=IN,
        adapter=adapter,
        gateway_id=gateway_id[:100],
        phone="",  # a cut-off "number" could pass for someone's
        our_number=our_number[:20],
        text=text,
        status=S.FAILED,
        last_error=f"sender is not a phone number: {phone[:200]!r}",
        encoding=segments.encoding,
        segments=min(segments.count, 255),
        gateway_time=gateway_time,
    )
    logger.warning("Inbound SMS %s refused: its sender is not a phone number", message.pk)
    return message, True


def _duplicate_of(adapter: str, phone: str, text: str, gateway_id: str) -> Message | None:
    same = Message.objects.filter(direction=IN, adapter=adapter)
    if gateway_id:
        return same.filter(gateway_id=gateway_id[:100]).first()
    window = timezone.now() - dt.timedelta(seconds=settings.SMS_DUPLICATE_SECONDS)
    return same.filter(phone=phone, text=text, created_at__gte=window).first()


def _enqueue(task: Task[Any, Any], message_id: int) -> None:
    task.enqueue(message_id)


def _process_task() -> Task[Any, Any]:
    from kotacerdas.messaging.tasks import process_inbound

    return process_inbound


def _deliver_task() -> Task[Any, Any]:
    from kotacerdas.messaging.tasks import deliver_outbound

    return deliver_outbound


# One-time sign-in codes for citizens ---------------------------------------


class CodeRefused(ValidationError):
    """A code request or a code that is turned down, with the reason to show."""


def request_code(phone: str, *, client_address: str | None) -> OneTimeCode:
    """Send a 6-digit sign-in code by SMS to a valid Indonesian mobile number.

    Limited per number and per client address. Whether the number belongs
    to anyone is never looked at: every valid number gets the same answer.
    """
    number = normalise_mobile(phone)
    if (client_address and not limits.hit("otp_per_address", client_address)) or not limits.hit(
        "otp_per_number", number
    ):
        raise CodeRefused(
            _("Too many codes were asked for. Wait 15 minutes, then try again."),
            code="rate_limited",
        )
    return _issue_code(number, client_address)


def _issue_code(number: str, client_address: str | None) -> OneTimeCode:
    now = timezone.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        one_time = OneTimeCode.objects.create(
            phone=number,
            code_hash=make_password(code),
            client_address=client_address,
            expires_at=now + dt.timedelta(minutes=settings.OTP_CODE_MINUTES),
        )
        send_sms(
            number,
            _(
                "Your Kota Cerdas Cirebon sign-in code: %(code)s. Valid for %(minutes)s "
                "minutes. Never give it to anyone."
            )
            % {"code": code, "minutes": settings.OTP_CODE_MINUTES},
            purpose="otp",
        )
    return one_time


def verify_code(phone: str, code: str) -> Citizen:
    """The citizen whose number this code was sent to; CodeRefused otherwise.

    A wrong try is counted (and committed) before the refusal is raised.
    """
    number = normalise_mobile(phone)
    now = timezone.now()
    refusal: CodeRefused | None = None
    with transaction.atomic():
        one_time = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=number, used_at=None, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if one_time is None:
            refusal = CodeRefused(
                _("This code has expired or was already used. Ask for a new code."),
                code="expired",
            )
        elif one_time.attempts >= settings.OTP_MAX_ATTEMPTS:
            refusal = CodeRefused(
                _("Too many wrong codes. Ask for a new code."), code="too_many_attempts"
            )
        else:
            one_time.attempts += 1
            if check_password(code.strip(), one_time.code_hash):
                one_time.used_at = now
            else:
                left = settings.OTP_MAX_ATTEMPTS - one_time.attempts
                refusal = CodeRefused(
                    _("The code is wrong. %(left)s tries left.") % {"left": left}, code="wrong"
                )
            one_time.save(update_fields=["attempts", "used_at"])
        if refusal is None:
            citizen, _created = Citizen.objects.get_or_create(phone=number)
            citizen.last_sign_in = now
            citizen.save(update_fields=["last_sign_in"])
            record("citizen.sign_in", obj=citizen)
    if refusal is not None:
        raise refusal
    return citizen

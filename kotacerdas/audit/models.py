from __future__ import annotations

import datetime as dt
import hashlib
import json
import json.encoder
import json.scanner
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)
_string = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


class AuditEvent(models.Model):
    """One thing someone did, chained to the event before it by hash.

    Append-only: the model refuses updates and deletes, and each event holds
    the hash of its predecessor, so ``manage.py audit_verify`` can tell where
    a row was changed or removed behind the application's back.

    A request only inserts its event (``sequence``, ``previous_hash`` and
    ``hash`` empty), in its own transaction, with no lock shared with other
    writers. The sequencer (``audit.sequencer``) later gives committed events
    their place in the chain, in batches: an event rolled back with its
    change is never seen by it, so the chain has no gap for it.
    """

    sequence = models.PositiveBigIntegerField(null=True, unique=True, editable=False)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        # Chained events in chain order, then those waiting, in arrival order.
        ordering = [models.F("sequence").asc(nulls_last=True), "id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The sequencer's queue: small, since events wait there for about a second.
            models.Index(
                fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_unchained"
            ),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit events are append-only")

    def compute_hash(self) -> str:
        return chain_hash(
            self.sequence,
            self.at,
            self.actor_id,
            self.actor_name,
            self.action,
            self.object_type,
            self.object_id,
            self.client_address,
            self.details,
            self.previous_hash,
        )


def chain_hash(
    sequence: int | None,
    at: dt.datetime,
    actor: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    client_address: str | None,
    details: Any,
    previous_hash: str,
) -> str:
    """The hash of one event: SHA-256 of its fields as canonical JSON.

    The bytes are exactly ``json.dumps(fields, sort_keys=True,
    separators=(",", ":"), default=str)`` (what every chained event was hashed
    over, see ``canonical_json``), written out field by field in sorted order:
    three times faster, and ``audit_verify`` re-hashes every event.
    """
    text = (
        f'{{"action":{_string(action)},"actor":{_scalar(actor)},'
        f'"actor_name":{_string(actor_name)},"at":{_string(at.isoformat())},'
        f'"client_address":{_scalar(client_address)},"details":{_ENCODER.encode(details)},'
        f'"object_id":{_string(object_id)},"object_type":{_string(object_type)},'
        f'"previous_hash":{_string(previous_hash)},"sequence":{_scalar(sequence)}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _scalar(value: Any) -> str:
    # JSONEncoder.encode builds an encoder per call: the common cases without it.
    if value is None:
        return "null"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return _string(value)  # type: ignore[no-any-return]
    return _ENCODER.encode(value)


def canonical_details(text: str) -> str:
    """The canonical JSON of ``details`` given as JSON text (as PostgreSQL hands jsonb over).

    Exactly ``_ENCODER.encode(json.loads(text))``, without the Python-level
    calls around the C scanner and encoder: ``audit_verify`` does this once
    per event.
    """
    return "".join(_encode_c(_scan(text, 0)[0], 0))


def _make_c_codec() -> tuple[Any, Any]:
    # What JSONDecoder.raw_decode and JSONEncoder.iterencode(_one_shot=True)
    # build on every call, built once, with _ENCODER's settings.
    scanner = getattr(json.scanner, "c_make_scanner", None)
    encoder = getattr(json.encoder, "c_make_encoder", None)
    if scanner is None or encoder is None:  # no C accelerator: the plain calls
        return (
            lambda text, _: (json.loads(text), None),
            lambda value, _: [_ENCODER.encode(value)],
        )
    return scanner(json.JSONDecoder()), encoder(
        None,  # no circularity check: decoded JSON cannot hold a cycle
        _ENCODER.default,
        _string,
        _ENCODER.indent,
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        _ENCODER.sort_keys,
        _ENCODER.skipkeys,
        _ENCODER.allow_nan,
    )


_scan, _encode_c = _make_c_codec()


def canonical_json(fields: dict[str, Any]) -> str:
    """The definition ``chain_hash`` follows (kept for the test that holds it to it)."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


class ChainHead(models.Model):
    """Where the chain ends: the last chained sequence and its hash.

    Only the sequencer writes it, in the transaction that chains a batch, so
    ``audit_verify`` can tell when events were removed from the end.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head #{self.sequence}"

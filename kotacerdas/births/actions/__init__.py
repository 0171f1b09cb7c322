"""Every change to birth declarations and certificates goes through here.

One door, three rooms: ``declare`` (the report, its documents, sending it, the
parent's claim), ``registry`` (Disdukcapil's decisions, registration into the
people register through ``people.actions``, the akta and its certificates) and
``corrections``. Import from ``kotacerdas.births.actions``; patch a name where
it is used (e.g. ``births.actions.registry.render_certificate``).
"""

from __future__ import annotations

from kotacerdas.births.actions.base import new_reference
from kotacerdas.births.actions.corrections import decide_correction, request_correction
from kotacerdas.births.actions.declare import (
    add_document,
    claim_declaration,
    claim_locked_message,
    record_document_read,
    remove_document,
    reopen_claim,
    save_declaration,
    submit,
)
from kotacerdas.births.actions.registry import (
    approve_late,
    decide_duplicate,
    issue_certificate,
    mark_printed,
    next_akta_number,
    record_certificate_download,
    register,
    revoke,
    send_back,
    set_child_nik,
    validate,
)

__all__ = [
    "add_document",
    "approve_late",
    "claim_declaration",
    "claim_locked_message",
    "decide_correction",
    "decide_duplicate",
    "issue_certificate",
    "mark_printed",
    "new_reference",
    "next_akta_number",
    "record_certificate_download",
    "record_document_read",
    "register",
    "remove_document",
    "reopen_claim",
    "request_correction",
    "revoke",
    "save_declaration",
    "send_back",
    "set_child_nik",
    "submit",
    "validate",
]

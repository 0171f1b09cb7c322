"""Every change to the residents register goes through here.

Staff pages save forms (``save_person``, ``save_family``); services and the
register's own pages change people through the form-free actions below
(``record_birth``, ``record_death``, ``record_move_in``, ``record_move_out``,
``add_to_family``, ``correct_person``): keyword arguments, one transaction,
one life event and one audit event each, ValidationError in the user's
language on bad input (nothing changed then). A citizen's account is linked
to the register here too (``link_citizen``), and the kelurahan operator's
decision on a conflict of an extract is applied here (``decide_conflict``).
"""

from kotacerdas.people.actions.citizens import link_citizen
from kotacerdas.people.actions.conflicts import decide_conflict
from kotacerdas.people.actions.imports import CHUNK_SIZE, process_import
from kotacerdas.people.actions.records import (
    STATUS_AFTER,
    LookupRefused,
    look_up_nik,
    record_export,
    record_life_event,
    record_read,
    rerun_import,
    save_family,
    save_person,
    start_import,
)
from kotacerdas.people.actions.register import (
    CORRECTABLE_FIELDS,
    add_to_family,
    apply_extract,
    correct_person,
    nik_taken_message,
    record_birth,
    record_death,
    record_move_in,
    record_move_out,
)

__all__ = [
    "CHUNK_SIZE",
    "CORRECTABLE_FIELDS",
    "STATUS_AFTER",
    "LookupRefused",
    "add_to_family",
    "apply_extract",
    "correct_person",
    "decide_conflict",
    "link_citizen",
    "look_up_nik",
    "nik_taken_message",
    "process_import",
    "record_birth",
    "record_death",
    "record_export",
    "record_life_event",
    "record_move_in",
    "record_move_out",
    "record_read",
    "rerun_import",
    "save_family",
    "save_person",
    "start_import",
]

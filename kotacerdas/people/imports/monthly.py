"""Next month's extract against the register: what changed, what conflicts.

A row whose NIK is already in the register is compared field by field, and
only for the columns the file has. For each field the extract's value, the
register's value and the value the last extract gave (``ImportedValues``)
decide:

- extract == register: nothing to do;
- register == last extract: Dukcapil changed it; the change is applied;
- otherwise the register was changed in the platform since the last extract
  (an RW operator corrected a name), or the person was never imported: a
  **conflict**, listed for the kelurahan operator to decide, never applied.

A status ``dead`` or ``moved`` in the extract for a resident becomes a death or
move out through the register actions; ``alive`` for someone the register has
as dead or moved away is a conflict.

The kelurahan operator decides each conflict (``people.actions.conflicts``):
the file's value is applied through the register actions, or the platform's is
kept. A kept value is remembered (``KEPT`` in ``ImportedValues.values``: field
-> the extract's value) so the same extract value is not a conflict again next
month; a new value from Dukcapil is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kotacerdas.people.models import Family, Person

# Column key of the file -> the register's field it fills.
FIELD_OF_KEY = {
    "name": "name",
    "sex": "sex",
    "birth_date": "birth_date",
    "birth_place": "birth_place",
    "religion": "religion",
    "education": "education",
    "occupation": "occupation",
    "marital_status": "marital_status",
    "phone": "phone",
    "address": "address",
    "rt": "rt",
    "kk_number": "kk_number",
    "relationship": "relationship",
    "father_nik": "father_nik",
    "father_name": "father_name",
    "mother_nik": "mother_nik",
    "mother_name": "mother_name",
    "birth_certificate": "birth_certificate_number",
    "blood_type": "blood_type",
    "identity_card": "identity_card",
    "citizenship": "citizenship",
    "schooling": "schooling",
}
# Fields set with the person's address (the family card and the RT go together).
PLACE_FIELDS = ("rt", "address", "kk_number", "relationship")
# Key of ImportedValues.values: {field or "status": extract value the operator declined}.
KEPT = "_kept"


def field_label(name: str) -> str:
    """A compared field as people read it (the register's own wording)."""
    if name == "kk_number":
        return str(Family._meta.get_field("kk_number").verbose_name)
    return str(getattr(Person._meta.get_field(name), "verbose_name", name))


def compared_fields(columns: set[str]) -> list[str]:
    return [name for key, name in FIELD_OF_KEY.items() if key in columns]


def register_values(person: Person, fields: list[str]) -> dict[str, str]:
    """The person's values as comparable text (the RT by id, the family by No. KK)."""
    values: dict[str, str] = {}
    for name in fields:
        if name == "rt":
            values[name] = str(person.rt_id or "")
        elif name == "kk_number":
            family = person.family
            values[name] = family.kk_number if family is not None else ""
        elif name == "birth_date":
            values[name] = person.birth_date.isoformat()
        else:
            values[name] = str(getattr(person, name) or "")
    return values


@dataclass
class Comparison:
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (old, new)
    conflicts: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # field -> (register, extract)
    leave: str = ""  # "dead" or "moved": the extract says the resident left
    status_conflict: str = ""  # the extract's status where the register disagrees

    @property
    def empty(self) -> bool:
        return not (self.changes or self.conflicts or self.leave or self.status_conflict)


def compare(
    current: dict[str, str],
    current_status: str,
    incoming: dict[str, str],
    last: dict[str, Any] | None,
    status: str,
) -> Comparison:
    """What the extract's ``incoming`` values change for a registered person whose
    values are ``current`` (``register_values``, or the import's snapshot) and
    status ``current_status`` (see module doc)."""
    result = Comparison()
    kept: dict[str, str] = (last or {}).get(KEPT) or {}
    for name, new in incoming.items():
        old = current[name]
        if new == old:
            continue
        if last is not None and last.get(name) == old:
            result.changes[name] = (old, new)
        elif kept.get(name) != new:  # not what the operator declined already
            result.conflicts[name] = (old, new)
    if status and status != current_status:
        if current_status == Person.Status.ALIVE and status in (
            Person.Status.DEAD,
            Person.Status.MOVED,
        ):
            result.leave = status
        elif kept.get("status") != status:
            result.status_conflict = status
    if result.leave:
        # A resident who died or moved keeps the register's last details.
        result.changes = {}
    return result

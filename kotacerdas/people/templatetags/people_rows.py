"""The residents table's rows, built in Python from plain tuples.

The register's list is the page officers open most. Its 50 rows through the
template language (a dozen variables, filters and a ``{% url %}`` per row)
were most of the page's cost under load; ``format_html`` per row still cost
more than the page's queries, and building 200 model instances (a person, her
RT, RW and kelurahan) for five columns cost as much again. So a page loads
only its columns as tuples (``ROW_COLUMNS``), and each row is one
f-string whose every value from the database goes through ``html.escape``
(what Django's ``escape`` does, without a SafeString per cell).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape
from typing import NamedTuple

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kotacerdas.people.identity import mask_number
from kotacerdas.people.models import Person

register = template.Library()


class PersonRow(NamedTuple):
    """The columns of one resident in the table."""

    pk: int
    name: str
    nik: str | None
    birth_date: dt.date | None
    status: str
    kelurahan: str
    rw: int
    rt: int

    @classmethod
    def of(cls, person: Person) -> PersonRow:
        """The row of a person already loaded (a search's results)."""
        rt = person.rt
        return cls(
            person.pk,
            person.name,
            person.nik,
            person.birth_date,
            person.status,
            rt.rw.kelurahan.name,
            rt.rw.number,
            rt.number,
        )


# What a page loads, in the order of PersonRow's fields (``paginate(columns=…)``).
ROW_COLUMNS = (
    "pk",
    "name",
    "nik",
    "birth_date",
    "status",
    "rt__rw__kelurahan__name",
    "rt__rw__number",
    "rt__number",
)


@register.simple_tag
def person_rows(rows: Iterable[PersonRow]) -> SafeString:
    """``<tr>`` for each person: name (linked), masked NIK, birth date, address, status."""
    # Every person's page is this prefix and the id: reverse once, not 50 times.
    prefix = escape(reverse("people:person-detail", args=[0]).removesuffix("0/"))
    nik, born, address, status = (
        escape(gettext(label)) for label in ("NIK", "Born", "Address", "Status")
    )
    statuses = {value: escape(str(label)) for value, label in Person.Status.choices}
    html = []
    for row in rows:
        place = escape(f"{row.kelurahan}, RW {row.rw:02d} / RT {row.rt:03d}")
        date = row.birth_date
        html.append(
            f'<tr><td><a href="{prefix}{row.pk:d}/">{escape(row.name)}</a></td>'
            f'<td data-label="{nik}" class="nik">{escape(mask_number(row.nik)) if row.nik else "—"}</td>'
            f'<td data-label="{born}">{f"{date.day:02d}-{date.month:02d}-{date.year:04d}" if date else ""}</td>'
            f'<td data-label="{address}">{place}</td>'
            f'<td data-label="{status}">{statuses.get(row.status) or escape(row.status)}</td></tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped

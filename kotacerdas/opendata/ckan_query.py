"""package_search's query language, the part a CKAN harvester and portal send.

- ``q``: free words (all must appear in the name, title or description), or
  ``*:*`` / empty for everything, or ``field:value`` terms as in ``fq``;
- ``fq``: space-separated terms ``field:value`` (``+`` required, ``-`` excluded,
  ``a OR b`` either, as the harvester's organization filter sends),
  ``field:"quoted value"``, and ranges ``metadata_modified:[X TO Y]`` (``{}``
  exclusive) with ISO 8601 UTC times, ``*``, and Solr's ``NOW`` date math
  (``NOW-1DAY``, ``NOW/DAY``), as ckanext-harvest's ckanharvester sends;
- ``sort``: ``field asc|desc`` separated by commas.

Anything else is a :class:`QueryError` (CKAN's "Search Query Error", 400).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

FIELDS = {
    "id": "uuid",
    "name": "name",
    "title": "title",
    "organization": "organization__name",
    "owner_org": "organization__uuid",
    "res_format": "resources__format",
    "tags": "figure__startswith",
}
DATES = {"metadata_modified", "metadata_created"}
# Fields every published dataset has the same value of (clients add them to fq).
ALWAYS = {
    "dataset_type": "dataset",
    "type": "dataset",
    "state": "active",
    "capacity": "public",
    "private": "false",
}
SORTS = {
    "id": "uuid",
    "name": "name",
    "title": "title",
    "title_string": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
}
TERM = re.compile(
    r"""(?P<sign>[+-]?)(?P<field>[A-Za-z_]+):
        (?:(?P<open>[\[{])\s*(?P<low>\S+)\s+TO\s+(?P<high>[^\]}\s]+)\s*(?P<close>[\]}])
          |"(?P<quoted>[^"]*)"
          |(?P<word>[^\s"\[\]{}()]+))""",
    re.VERBOSE,
)
OPERATOR = re.compile(r"(?P<op>AND|OR)(?=\s|$)")
UNITS = {
    "YEAR": "years",
    "YEARS": "years",
    "MONTH": "months",
    "MONTHS": "months",
    "DAY": "days",
    "DAYS": "days",
    "HOUR": "hours",
    "HOURS": "hours",
    "MINUTE": "minutes",
    "MINUTES": "minutes",
    "SECOND": "seconds",
    "SECONDS": "seconds",
}


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    where: Q
    order: list[str]


def parse(q: str, fq: str, sort: str, now: dt.datetime, group_field: Callable[[str], Q]) -> Query:
    where = Q()
    q = q.strip()
    if q and q != "*:*":
        if ":" in q:
            where &= _terms(q, now, group_field)
        else:
            for word in q.split():
                where &= (
                    Q(name__icontains=word)
                    | Q(title__icontains=word)
                    | Q(definition__icontains=word)
                )
    if fq.strip():
        where &= _terms(fq, now, group_field)
    return Query(where, _sort(sort))


def _terms(text: str, now: dt.datetime, group_field: Callable[[str], Q]) -> Q:
    """Terms joined by spaces (or ``AND``) all hold; ``a OR b`` holds when either does."""
    groups: list[Q] = []
    joined = False  # the previous word was OR: the next term joins the last group
    position = 0
    text = text.strip()
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        word = OPERATOR.match(text, position)
        if word is not None:
            if word["op"] == "OR":
                if not groups or joined:
                    raise QueryError(f"OR tanpa ungkapan di depannya, posisi {position}")
                joined = True
            position = word.end()
            continue
        match = TERM.match(text, position)
        if match is None:
            raise QueryError(
                f"ungkapan tidak dikenal di posisi {position}: {text[position:][:40]!r}"
            )
        position = match.end()
        term = _term(match, now, group_field)
        term = ~term if match["sign"] == "-" else term
        if joined:
            groups[-1] |= term
            joined = False
        else:
            groups.append(term)
    if joined:
        raise QueryError("OR tanpa ungkapan sesudahnya")
    where = Q()
    for group in groups:
        where &= group
    return where


def _term(match: re.Match[str], now: dt.datetime, group_field: Callable[[str], Q]) -> Q:
    field = match["field"]
    if match["open"]:
        if field not in DATES:
            raise QueryError(f"rentang hanya untuk {', '.join(sorted(DATES))}, bukan {field}")
        where = Q()
        low, high = match["low"], match["high"]
        if low != "*":
            lookup = "gte" if match["open"] == "[" else "gt"
            where &= Q(**{f"{field}__{lookup}": parse_time(low, now)})
        if high != "*":
            lookup = "lte" if match["close"] == "]" else "lt"
            where &= Q(**{f"{field}__{lookup}": parse_time(high, now)})
        return where
    value = match["quoted"] if match["quoted"] is not None else match["word"]
    if field in DATES:
        return Q(**{field: parse_time(value, now)})
    if field == "groups":
        return group_field(value)
    if field in ALWAYS:
        return Q() if value.lower() in (ALWAYS[field], "*") else Q(pk__in=[])
    if field not in FIELDS:
        raise QueryError(f"kolom tidak dikenal: {field}")
    if value == "*":
        return Q()
    if field == "tags":
        return Q(figure__startswith=f"{value}.")
    return Q(**{FIELDS[field]: value})


def parse_time(text: str, now: dt.datetime) -> dt.datetime:
    """An ISO 8601 time (UTC when no zone is given) or ``NOW`` with Solr date math."""
    if text.startswith("NOW"):
        return _date_math(text[3:], now)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"waktu tidak sah: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _date_math(rest: str, now: dt.datetime) -> dt.datetime:
    moment = now.astimezone(dt.UTC)
    for sign, amount, unit in re.findall(r"([+\-/])(\d*)([A-Z]+)", rest):
        if unit not in UNITS:
            raise QueryError(f"satuan waktu tidak dikenal: {unit}")
        if sign == "/":
            moment = _round_down(moment, UNITS[unit])
            continue
        if not amount:
            raise QueryError(f"jumlah hilang sebelum {unit}")
        moment = _shift(moment, int(amount) * (1 if sign == "+" else -1), UNITS[unit])
    if re.sub(r"([+\-/])(\d*)([A-Z]+)", "", rest):
        raise QueryError(f"NOW{rest} tidak dapat dibaca")
    return moment


def _shift(moment: dt.datetime, amount: int, unit: str) -> dt.datetime:
    try:
        if unit in ("years", "months"):
            months = moment.month - 1 + amount * (12 if unit == "years" else 1)
            year, month = moment.year + months // 12, months % 12 + 1
            last = calendar.monthrange(year, month)[1]
            return moment.replace(year=year, month=month, day=min(moment.day, last))
        return moment + dt.timedelta(**{unit: amount})
    except (OverflowError, ValueError):
        raise QueryError("waktu di luar jangkauan") from None


def _round_down(moment: dt.datetime, unit: str) -> dt.datetime:
    """Solr's ``/UNIT``: the start of the year, month, day, hour, minute or second."""
    moment = moment.replace(microsecond=0)
    if unit in ("years", "months", "days", "hours", "minutes"):
        moment = moment.replace(second=0)
    if unit in ("years", "months", "days", "hours"):
        moment = moment.replace(minute=0)
    if unit in ("years", "months", "days"):
        moment = moment.replace(hour=0)
    if unit in ("years", "months"):
        moment = moment.replace(day=1)
    if unit == "years":
        moment = moment.replace(month=1)
    return moment


def _sort(text: str) -> list[str]:
    order = []
    for part in (text or "").split(","):
        words = part.split()
        if not words:
            continue
        field = words[0]
        direction = words[1].lower() if len(words) > 1 else "asc"
        if field == "score":
            continue  # no relevance ranking: every match scores the same
        if field not in SORTS or direction not in ("asc", "desc") or len(words) > 2:
            raise QueryError(f"urutan tidak dikenal: {part.strip()!r}")
        order.append(("-" if direction == "desc" else "") + SORTS[field])
    return [*order, "name"]

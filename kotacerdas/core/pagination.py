"""Pagination that stays fast on a city-sized register.

Two costs grow with the city: sorting whole rows to reach a deep page, and
counting every row of a wide scope. ``paginate`` sorts and slices ids only,
then loads the page's rows; a ``count_key`` caches the total for a while
(for scopes of a kecamatan or the whole city, where an exact figure to the
last resident does not matter and the count costs more than the page).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_SECONDS = 120
# Rows between a page and the end it is read from below which it is one query.
SHALLOW = 500


class CachedCountPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, count_key: str | None = None) -> None:
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        exact = Paginator.count.func  # type: ignore[attr-defined]
        if self.count_key is None:
            return int(exact(self))
        return int(cache.get_or_set(self.count_key, lambda: exact(self), COUNT_SECONDS) or 0)

    def page(self, number: int | str) -> Page[Any]:
        # A cached total may be a little old: slice by page size, never by the
        # total, so a page always shows every row it should.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]


def paginate(
    queryset: QuerySet[Any],
    ordering: tuple[str, ...],
    page_number: str | None,
    *,
    per_page: int,
    count_key: str | None = None,
    columns: tuple[str, ...] = (),
) -> Page[Any]:
    """A page of ``queryset`` in ``ordering``, its rows loaded by id: model
    instances, or with ``columns`` (the first one ``"pk"``) tuples of those.

    Pages in the back half are read from the other end (reversed order, a
    small offset), so the last page of the city costs what the first does.
    Pages within ``SHALLOW`` rows of the end they are read from come in one
    query with their rows; deeper ones sort and slice ids, then load their rows.
    """
    ids = queryset.order_by(*ordering).values_list("pk", flat=True)
    page = CachedCountPaginator(ids, per_page, count_key=count_key).get_page(page_number)
    count = page.paginator.count
    bottom = (page.number - 1) * per_page
    backwards = page.number > 1 and bottom > count // 2
    if backwards:  # the page as a slice of the reversed order
        ordered = queryset.order_by(*(_reverse(field) for field in ordering))
        start, stop = count - min(bottom + per_page, count), count - bottom
    else:
        ordered = queryset.order_by(*ordering)
        start, stop = bottom, bottom + per_page
    step = -1 if backwards else 1
    if start < SHALLOW:
        # Near either end the rows themselves are read in order: one query,
        # as cheap as the ids alone there, where most visits end.
        rows_in_order = ordered.values_list(*columns) if columns else ordered
        page.object_list = list(rows_in_order[start:stop])[::step]
        return page
    page_ids = list(ordered.values_list("pk", flat=True)[start:stop])[::step]
    loaded = queryset.filter(pk__in=page_ids)
    if columns:
        rows = {row[0]: row for row in loaded.values_list(*columns)}
    else:
        rows = {row.pk: row for row in loaded}
    page.object_list = [rows[pk] for pk in page_ids if pk in rows]
    return page


def _reverse(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"

"""The import's pages: a compared field's name as people read it."""

from __future__ import annotations

from django import template

from kotacerdas.people.imports.monthly import FIELD_OF_KEY, field_label

register = template.Library()
_FIELDS = set(FIELD_OF_KEY.values())


@register.filter
def import_field(name: str) -> str:
    """``occupation`` -> "Pekerjaan"; a name the register does not know stays as it is."""
    if name not in _FIELDS:
        return name
    label = field_label(name)
    return label[:1].upper() + label[1:]

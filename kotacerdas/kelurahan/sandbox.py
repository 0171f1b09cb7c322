"""Letter texts through Django's template engine, reaching nothing but the letter's data.

The kelurahan edits template texts in the browser, so a text is untrusted
code. It runs in an ``Engine`` of its own with no loaders, no tag libraries
and none of Django's built-in tags or filters: only ``{{ name }}`` and
``{{ name|filter }}`` with the few filters of ``SAFE_FILTERS``. ``check``
refuses, at save time, any tag (``{% load %}``, ``{% include %}``, ``{% if %}``),
any dotted lookup (``{{ nama.__class__ }}``, ``{{ x.items }}``) and any name
that is not a placeholder of the type. The context is a plain dict of strings.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Library, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, VariableNode
from django.template.defaultfilters import linebreaksbr, lower, title, upper
from django.utils.translation import gettext as _

library = Library()
SAFE_FILTERS = {"upper": upper, "lower": lower, "title": title, "linebreaksbr": linebreaksbr}
for _name, _function in SAFE_FILTERS.items():
    library.filter(_name, _function, is_safe=True)


class SandboxEngine(Engine):
    # Not even Django's default tags and filters: only ours.
    default_builtins: ClassVar[list[str]] = []  # type: ignore[misc]

    def __init__(self) -> None:
        super().__init__(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=True)
        self.template_builtins = [library]


ENGINE = SandboxEngine()


def check(body: str, allowed: Collection[str]) -> None:
    """Raise ValidationError (in Indonesian) unless ``body`` only prints allowed placeholders."""
    try:
        template = ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("The text has a tag or filter that letters may not use: %(detail)s")
            % {"detail": str(error)[:200]},
            code="syntax",
        ) from error
    unknown: set[str] = set()
    for node in template.nodelist:
        _check_node(node, allowed, unknown)
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s. Use only: %(allowed)s.")
            % {"names": ", ".join(sorted(unknown)), "allowed": ", ".join(sorted(allowed))},
            code="unknown_placeholder",
        )


def _check_node(node: Node, allowed: Collection[str], unknown: set[str]) -> None:
    if isinstance(node, TextNode):
        return
    if not isinstance(node, VariableNode):
        raise ValidationError(_("Letters may only use placeholders, no other tags."), code="tag")
    _check_expression(node.filter_expression, allowed, unknown)


def _check_expression(
    expression: FilterExpression, allowed: Collection[str], unknown: set[str]
) -> None:
    variable = expression.var
    lookups = getattr(variable, "lookups", None)
    if lookups is None:
        raise ValidationError(_("A placeholder must be a name, not a value."), code="literal")
    if len(lookups) != 1:
        raise ValidationError(
            _("A placeholder is a plain name: %(name)s reaches into something else.")
            % {"name": ".".join(lookups)},
            code="lookup",
        )
    if lookups[0] not in allowed:
        unknown.add(lookups[0])
    for _function, arguments in expression.filters:
        if arguments:
            raise ValidationError(
                _("Filters in letters take no arguments."), code="filter_argument"
            )


def render(body: str, data: Mapping[str, str]) -> str:
    """The text with the letter's data filled in (HTML-escaped); call ``check`` first."""
    context = {key: str(value) for key, value in data.items()}
    return ENGINE.from_string(body).render(Context(context, autoescape=True))

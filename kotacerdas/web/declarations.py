"""How a service declares itself to the floor: one ``ServiceConfig`` per app.

A service's ``apps.py`` subclasses :class:`ServiceConfig` and fills in class
attributes; the floor (``kotacerdas.web.discovery``) reads every installed
app's config, so a new service is its folder plus one line in
``INSTALLED_APPS``. What a service declares:

- ``home_entries``: cards on the home page (:class:`HomeEntry`);
- ``nav_links``: links in the staff navigation (:class:`NavLink`);
- ``roles`` / ``second_factor_roles``: the roles it adds to memberships
  (a ``TextChoices`` in ``<app>/roles.py``; gathered by ``accounts.roles``);
- ``demo``: dotted path of its demo builder, ``(DemoContext) -> list[Persona]``;
- ``periodic_commands``: the management commands cron runs (:class:`PeriodicCommand`);
- ``url_modules``: the URL modules it mounts, as ``(prefix, dotted module)``;
- ``api_routers``: its django-ninja routers under /api/v1/, as ``(prefix, dotted router)``;
- ``work_items``: dotted paths of functions ``(user) -> list[WorkItem]`` that
  say what waits for this member (the "my work" page): cheap counts through
  the service's access functions, nothing for someone outside it;
- its figures for the city dashboard: ``<app>/stats.py`` with ``FIGURES``
  (see ``kotacerdas.web.figures``), found by the module's name.

Class attributes are read before the models are loaded, so anything that needs
a model is named by its dotted path (``may_use="kotacerdas.x.access.is_staff"``)
and imported on first use.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from django.apps import AppConfig
from django.core.management.base import OutputWrapper
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from kotacerdas.accounts.access import AnyUser

ANYONE = "kotacerdas.web.declarations.anyone"
# Where an entry goes when its service gives no order: after the services
# present today, before the floor's closing entries (open data).
DEFAULT_ORDER = 80


def anyone(user: AnyUser) -> bool:
    return True


@cache
def predicate(path: str) -> Callable[[AnyUser], bool]:
    """The function a dotted path names (imported once)."""
    found: Callable[[AnyUser], bool] = import_string(path)
    return found


def allows(may_use: str, user: AnyUser) -> bool:
    """Ask the predicate named by ``may_use`` (a dotted path) about ``user``."""
    return bool(predicate(may_use)(user))


@dataclass(frozen=True)
class HomeEntry:
    """A card on the home page, shown to the users ``may_use`` lets in.

    ``order`` places it among every service's cards (ties keep INSTALLED_APPS
    order): the floor's register 10, Wadul Bae 20, citizen sign-in and SMS 30,
    E-Posyandu 40, births 50, hospital 60, open data 90.
    """

    programme: str | Promise
    title: str | Promise
    description: str | Promise
    url_name: str
    may_use: str = ANYONE
    order: int = DEFAULT_ORDER

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavLink:
    """A link in the staff navigation, shown to the members ``may_use`` lets in.

    ``order`` as for :class:`HomeEntry`: register 10, E-Posyandu 40, births 50,
    hospital 60, Wadul Bae 70, SMS 90.
    """

    label: str | Promise
    url_name: str
    may_use: str
    order: int = DEFAULT_ORDER

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class WorkItem:
    """One line of a member's "my work" page: what waits, how many, and where.

    ``late`` is the part of ``count`` past its deadline (shown when above 0).
    A function returns an item with a count of 0 when the member's role has
    that kind of work but none waits now, and no item at all otherwise.
    """

    label: str | Promise
    count: int
    url: str
    late: int = 0


WorkItems = Callable[["AnyUser"], list[WorkItem]]


@dataclass(frozen=True)
class PeriodicCommand:
    """A management command cron runs (docs/operations.md lists each one)."""

    command: str  # the command's name, as after ``kotacerdas-manage``
    schedule: str  # the five crontab fields, local time
    purpose: str


@dataclass
class DemoContext:
    """What a demo builder gets: the scale asked for, one seeded generator, the output."""

    scale: str
    seed: int
    rng: random.Random
    out: OutputWrapper

    def write(self, line: str, ending: str = "\n") -> None:
        self.out.write(line, ending=ending)
        self.out.flush()


class ServiceConfig(AppConfig):
    """The base of every service's ``AppConfig`` (and of the floor's, in web)."""

    # Django picks the one AppConfig subclass an apps.py holds; importing this
    # base by name would make two, so the base says it is not the default and
    # each subclass says it is (unless it sets ``default`` itself).
    default = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    home_entries: ClassVar[Sequence[HomeEntry]] = ()
    nav_links: ClassVar[Sequence[NavLink]] = ()
    roles: ClassVar[type[models.TextChoices] | None] = None
    second_factor_roles: ClassVar[frozenset[str]] = frozenset()
    demo: ClassVar[str | None] = None
    periodic_commands: ClassVar[Sequence[PeriodicCommand]] = ()
    url_modules: ClassVar[Sequence[tuple[str, str]]] = ()
    api_routers: ClassVar[Sequence[tuple[str, str]]] = ()
    work_items: ClassVar[Sequence[str]] = ()

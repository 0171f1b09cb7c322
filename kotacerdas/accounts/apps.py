from __future__ import annotations

from django.apps import AppConfig

from kotacerdas.accounts.roles import FLOOR_SECOND_FACTOR_ROLES, Role


class AccountsConfig(AppConfig):
    name = "kotacerdas.accounts"
    # The floor's roles, declared the way each service declares its own
    # (kotacerdas.accounts.roles gathers them).
    roles = Role
    second_factor_roles = FLOOR_SECOND_FACTOR_ROLES

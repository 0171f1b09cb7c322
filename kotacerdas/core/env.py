"""Settings read from the environment, the same way in every settings module.

A value may come from ``NAME`` or, for a secret, from the file named by
``NAME_FILE``; a value that cannot be read stops the start with a clear
message (``ImproperlyConfigured``) instead of running misconfigured.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    """A string from the environment, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def environment() -> str:
    """development, test (pytest sets PYTEST_VERSION for the whole run) or production."""
    name = os.environ.get("KOTACERDAS_ENV") or (
        "test" if "PYTEST_VERSION" in os.environ else "development"
    )
    if name not in {"development", "test", "production"}:
        raise ImproperlyConfigured(f"KOTACERDAS_ENV={name!r}: use development, test or production")
    return name


def rate_limit_from_env(name: str, count: int, seconds: int) -> tuple[int, int]:
    """A limit's (count, seconds): the default, or RATE_LIMIT_<NAME>=count/seconds."""
    value = env_str(f"RATE_LIMIT_{name.upper()}", f"{count}/{seconds}")
    try:
        got_count, got_seconds = (int(part) for part in value.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"RATE_LIMIT_{name.upper()} must be count/seconds") from None
    return got_count, got_seconds

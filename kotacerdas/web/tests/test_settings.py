"""The settings module read in a fresh process, as a server would read it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "x" * 30 + "-kotacerdas-test-only-" + "y" * 30


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"PYTEST_VERSION", "DATABASE_URL", "KOTACERDAS_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "KOTACERDAS_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "layanan.cirebonkota.go.id",
    "DATABASE_URL": "postgres://kotacerdas@127.0.0.1:5432/kotacerdas",
    "BIRTHS_PUBLIC_BASE_URL": "https://layanan.cirebonkota.go.id",
    "KELURAHAN_PUBLIC_BASE_URL": "https://layanan.cirebonkota.go.id",
    "LITERACY_DEVICE_KEY": "melet-hmac-key-for-the-settings-test-0123456789",
}


def test_production_settings_pass_the_deployment_checks():
    result = _run("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret():
    result = _run(
        "check", **{**PRODUCTION, "SECRET_KEY": "django-insecure-kotacerdas-development-only"}
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_reads_the_secret_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(STRONG_KEY + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = _run("check", SECRET_KEY_FILE=str(secret), **env)

    assert result.returncode == 0, result.stderr


def test_production_refuses_sqlite():
    env = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}

    result = _run("check", **env)

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_a_bad_boolean_is_named():
    result = _run("check", DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG='maybe'" in result.stderr


def test_development_hashes_passwords_with_argon2():
    result = _run(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0], settings.TIME_ZONE, settings.LANGUAGE_CODE)",
    )

    assert result.stdout.split() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "Asia/Jakarta",
        "id",
    ]


def test_production_refuses_the_webhook_gateway_without_its_secret():
    result = _run("check", SMS_ADAPTER="webhook", SMS_INBOUND_TOKEN="t" * 32, **PRODUCTION)

    assert result.returncode != 0
    assert "SMS_WEBHOOK_SECRET" in result.stderr


def test_production_kannel_allowed_from_loopback_needs_the_proxy_named():
    env = {**PRODUCTION, "SMS_ADAPTER": "kannel", "SMS_INBOUND_TOKEN": "t" * 32}

    refused = _run("check", **env)
    accepted = _run("check", TRUSTED_PROXIES="127.0.0.1", **env)

    assert refused.returncode != 0 and "TRUSTED_PROXIES" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


def test_production_needs_the_https_address_printed_in_birth_certificates():
    for address in ("", "http://layanan.cirebonkota.go.id"):
        result = _run("check", **{**PRODUCTION, "BIRTHS_PUBLIC_BASE_URL": address})

        assert result.returncode != 0
        assert "BIRTHS_PUBLIC_BASE_URL" in result.stderr


def test_production_needs_the_key_that_hashes_wifi_device_ids():
    result = _run("check", **{**PRODUCTION, "LITERACY_DEVICE_KEY": "short"})

    assert result.returncode != 0
    assert "LITERACY_DEVICE_KEY" in result.stderr


_SHOW_CACHE_AND_LIMITS = (
    "from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND']); "
    "print(settings.RATE_LIMITS['wadul_lookups'], settings.RATE_LIMITS['kiosk_attempts'])"
)


def test_every_process_shares_the_database_cache_unless_redis_is_set():
    default = _run("shell", "--no-imports", "-c", _SHOW_CACHE_AND_LIMITS)
    redis = _run(
        "shell", "--no-imports", "-c", _SHOW_CACHE_AND_LIMITS, REDIS_URL="redis://127.0.0.1:6379/0"
    )

    assert default.stdout.splitlines()[0] == "django.core.cache.backends.db.DatabaseCache"
    assert redis.stdout.splitlines()[0] == "django.core.cache.backends.redis.RedisCache"


def test_limits_are_read_from_the_environment_under_old_and_new_names():
    result = _run(
        "shell",
        "--no-imports",
        "-c",
        _SHOW_CACHE_AND_LIMITS,
        WADUL_LOOKUPS_PER_HOUR="7",
        RATE_LIMIT_KIOSK_ATTEMPTS="50/600",
    )

    assert result.stdout.splitlines()[1] == "(7, 3600) (50, 600)"


def test_a_badly_written_limit_is_named():
    result = _run("check", RATE_LIMIT_WADUL_LOOKUPS="many")

    assert result.returncode != 0
    assert "RATE_LIMIT_WADUL_LOOKUPS must be count/seconds" in result.stderr


def test_settings_takes_every_setting_a_service_declares() -> None:
    """settings.py imports kotacerdas/settings_services.py's settings by name (so that
    type checkers see them): a new one left out of that import would be missing."""
    import re
    from pathlib import Path

    from django.conf import settings

    source = (Path(settings.BASE_DIR) / "kotacerdas" / "settings_services.py").read_text()
    declared = set(re.findall(r"^([A-Z][A-Z0-9_]*)(?:\s*:[^=]*)?\s*=", source, re.M))
    assert declared
    assert sorted(name for name in declared if not hasattr(settings, name)) == []

"""deploy/ stays true to the code: the environment template, the cron file, the nginx site."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from kotacerdas.web.management.commands import crontab

DEPLOY = Path(settings.BASE_DIR) / "deploy"
SETTINGS_FILES = [
    Path(settings.BASE_DIR) / "kotacerdas" / name
    for name in ("settings.py", "settings_services.py")
]
READ = re.compile(
    r"\b(?:env_str|env_int|env_bool|env_list|os\.environ\.get)\(\s*\"([A-Z][A-Z0-9_]*)\""
)
TESTED = re.compile(r"\"([A-Z][A-Z0-9_]*)\" (?:not )?in os\.environ")
# Read by something else than the settings modules (the systemd unit, pytest).
NOT_SETTINGS = {"WEB_WORKERS", "WEB_THREADS"}
NOT_FOR_SERVERS = {"PYTEST_VERSION"}
# Read by core/env.py (which settings use), named in the template for operators.
NOT_SETTINGS |= {"KOTACERDAS_ENV"}


def variables_settings_read() -> set[str]:
    text = "\n".join(path.read_text() for path in SETTINGS_FILES)
    names = set(READ.findall(text)) | set(TESTED.findall(text))
    names |= {f"RATE_LIMIT_{name.upper()}" for name in settings.RATE_LIMITS}
    return names - NOT_FOR_SERVERS


def variables_in_template() -> set[str]:
    text = (DEPLOY / "kotacerdas.env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def test_the_environment_template_names_every_variable_settings_reads() -> None:
    read = variables_settings_read()
    assert {"DATABASE_URL", "SECRET_KEY", "RATE_LIMIT_KIOSK_ATTEMPTS"} <= read  # the regexes work
    missing = read - variables_in_template()
    assert not missing, f"add to deploy/kotacerdas.env.example, with a comment: {sorted(missing)}"


def test_the_environment_template_names_nothing_settings_does_not_read() -> None:
    known = variables_settings_read() | NOT_SETTINGS
    unknown = {
        name
        for name in variables_in_template() - known
        if not (name.endswith("_FILE") and name.removesuffix("_FILE") in known)
    }
    assert not unknown, f"deploy/kotacerdas.env.example names unknown variables: {unknown}"


def test_the_cron_file_runs_every_declared_periodic_command() -> None:
    line = re.compile(r"^(\S+(?:\s+\S+){4})\s+kotacerdas\s+\S*kotacerdas-manage\s+(\S+)", re.M)

    def entries(text: str) -> set[tuple[str, str]]:
        return {(" ".join(when.split()), command) for when, command in line.findall(text)}

    installed = entries((DEPLOY / "cron.d" / "kotacerdas").read_text())
    assert entries(crontab.render()) == installed, (
        "deploy/cron.d/kotacerdas is out of date: `manage.py crontab > deploy/cron.d/kotacerdas`"
    )
    assert installed


def test_every_systemd_unit_runs_the_app_from_the_documented_places() -> None:
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {unit.name for unit in units} >= {
        "kotacerdas-web@.service",
        "kotacerdas-worker@.service",
        "kotacerdas-audit-sequencer.service",
    }
    for unit in units:
        text = unit.read_text()
        assert "EnvironmentFile=/etc/kotacerdas/env" in text, unit.name
        assert "User=kotacerdas" in text, unit.name
        assert "WantedBy=kotacerdas.target" in text, unit.name
    assert "--queue-name %i" in (DEPLOY / "systemd" / "kotacerdas-worker@.service").read_text()


@pytest.mark.nginx
def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    """``nginx -t`` on the site as shipped, with a throwaway certificate for its placeholders."""
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx or openssl is not installed (apt-get install nginx-light openssl)")
    subprocess.run(  # noqa: S603
        [
            openssl,
            *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=layanan.cirebonkota.go.id"),
            *("-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "kotacerdas.conf").read_text()
    placeholders = "/etc/letsencrypt/live/layanan.cirebonkota.go.id/"
    assert site.count(placeholders) == 2
    site = site.replace(placeholders, f"{tmp_path}/").replace(
        "/etc/nginx/snippets/kotacerdas-proxy.conf", str(DEPLOY / "nginx" / "kotacerdas-proxy.conf")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        wrapper_config(tmp_path, f"include {tmp_path / 'site.conf'};")
    )
    done = subprocess.run(  # noqa: S603
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def wrapper_config(directory: Path, body: str) -> str:
    """A whole nginx.conf around ``body`` (the http block's contents), all paths in ``directory``."""
    return f"""
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    {body}
}}
"""

"""The production layout in miniature, for the scale-out test.

Two gunicorn app servers on their own ports (2 workers each) behind real
nginx round-robin, two task workers on one queue, the SMS sweep, Redis as the shared cache,
PostgreSQL (the test database). nginx includes the shipped
``deploy/nginx/kotacerdas-proxy.conf``, so the headers the app sees are the
ones production sends; it also answers ``X-Upstream`` (which app server served
the request), for the test only.
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from kotacerdas.integration.processes import answers, free_port, wait_until

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
PROXY_SNIPPET = ROOT / "deploy" / "nginx" / "kotacerdas-proxy.conf"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def nginx_config(directory: Path, port: int, upstreams: list[int]) -> str:
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in upstreams
    )
    return f"""
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
worker_processes 1;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    upstream kotacerdas_app {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port} backlog=2048;
        location / {{
            proxy_pass http://kotacerdas_app;
            include {PROXY_SNIPPET};
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@dataclass
class Stack:
    directory: Path
    database_url: str
    app_ports: list[int] = field(default_factory=list)
    port: int = 0  # nginx
    cache_prefix: str = field(default_factory=lambda: f"scale-{uuid.uuid4().hex[:12]}")
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def sms_file(self) -> Path:
        return self.directory / "sms-outbox.jsonl"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
        return env | {
            "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
            "KOTACERDAS_ENV": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "CACHE_KEY_PREFIX": self.cache_prefix,
            "TRUSTED_PROXIES": "127.0.0.1",
            "SMS_ADAPTER": "file",
            "SMS_FILE_PATH": str(self.sms_file),
            # Low limits: a few requests show whether both servers count together.
            "RATE_LIMIT_KIOSK_UNKNOWN_CODES": "6/3600",
            "RATE_LIMIT_OTP_PER_ADDRESS": "3/3600",
            # The sweep (cron, every minute in production) runs every second
            # here, and finds work whose wake-up died with a server after 3 s.
            "SMS_STALE_SECONDS": "3",
        }

    def _spawn(self, name: str, args: list[str]) -> None:
        log = (self.directory / f"{name}.log").open("wb")
        # A process group of its own: SIGKILL reaches the master and its workers.
        self.processes[name] = subprocess.Popen(  # noqa: S603
            args,
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_app(self, index: int) -> None:
        port = self.app_ports[index]
        self._spawn(
            f"app{index}",
            [
                str(BIN / "gunicorn"),
                "kotacerdas.wsgi:application",
                *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--backlog", "2048"),
                *("--keep-alive", "30", "--timeout", "60", "--preload"),
            ],
        )

    def start(self) -> None:
        self.app_ports = [free_port(), free_port()]
        self.port = free_port()
        for index in range(2):
            self.start_app(index)
        for index in range(2):
            self._spawn(
                f"worker{index}",
                [
                    str(BIN / "python"),
                    *("manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2"),
                    *("--no-startup-delay", "--worker-id", f"scale-worker-{index}"),
                ],
            )
        self._spawn(
            "sweep",
            [str(BIN / "python"), "manage.py", "sms_sweep", "--loop", "--every", "1"],
        )
        (self.directory / "nginx.conf").write_text(
            nginx_config(self.directory, self.port, self.app_ports)
        )
        self.processes["nginx"] = subprocess.Popen(  # noqa: S603
            [
                "/usr/sbin/nginx",
                "-p",
                str(self.directory),
                "-c",
                str(self.directory / "nginx.conf"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for port in self.app_ports:
            wait_until(functools.partial(answers, port), 60, f"gunicorn on {port} did not answer")
        wait_until(lambda: answers(self.port), 10, "nginx did not answer")

    def kill(self, name: str) -> None:
        """SIGKILL the whole process (group): no clean shutdown, as in a crash."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def restart_app(self, index: int) -> None:
        self.start_app(index)
        port = self.app_ports[index]
        wait_until(lambda: answers(port), 60, f"gunicorn on {port} did not answer again")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def sent_sms(self) -> list[dict[str, Any]]:
        if not self.sms_file.exists():
            return []
        lines = self.sms_file.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def client(self) -> Client:
        return Client(self.port)


class Client:
    """A browser through nginx: one kept-alive connection and a cookie jar."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.served_by = ""  # the app server of the last answer

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, str]:
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf, **form})
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # a fresh connection next time
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if match := CSRF.search(data):
            self.csrf = match.group(1).decode()
        self.served_by = response.headers.get("X-Upstream", "")
        return response.status, response.headers.get("Location", ""), data.decode()

    def close(self) -> None:
        self.conn.close()

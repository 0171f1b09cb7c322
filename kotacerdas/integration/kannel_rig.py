"""Real Kannel in front of real app processes: what the SMS bench and kill tests share.

bearerbox and smsbox from ``manage.py kannel_config`` (a store file, so
bearerbox keeps what it has not handed on), fakesmsc as the phones, gunicorn
serving the Kannel endpoint, and ``db_worker`` processes routing (queue
``default``) and sending (queue ``sms``), all on one PostgreSQL database.
Every process is its own process group, so a SIGKILL takes it whole, as a
crash would.

No Django here: the bench imports it without settings, the tests with theirs.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from kotacerdas.integration.processes import answers, free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
# Fresh for every run: loopback only, but never a fixed secret in the code.
TOKEN = secrets.token_urlsafe(24)
# What db_worker logs once it is up (django_tasks_db, at its default verbosity).
STARTED = "Starting worker"
ADMIN_PASSWORD = secrets.token_urlsafe(12)
SENDSMS_PASSWORD = secrets.token_urlsafe(12)


def installed() -> bool:
    return BEARERBOX.exists() and SMSBOX.exists() and FAKESMSC.exists()


def http_get(url: str, timeout: float = 2) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return str(response.read().decode(errors="replace"))
    except urllib.error.HTTPError as exc:
        return str(exc.read().decode(errors="replace"))
    except OSError:
        return ""


def numbers(first: int, count: int, text: str) -> list[str]:
    """fakesmsc messages with ``text`` from ``count`` mobile numbers, +62812<first…>.

    (fakesmsc's own random numbers, ``-z``, make senders too long to be mobiles.)
    """
    return [f"+62812{first + k:08d} 1717 text {text}" for k in range(count)]


@dataclass
class Rig:
    """One Kannel, one gunicorn, any number of workers; ``env`` is the app's environment."""

    directory: Path
    env: dict[str, str]
    ports: dict[str, int] = field(
        default_factory=lambda: {
            name: free_port() for name in ("web", "admin", "smsbox", "sendsms", "fake")
        }
    )
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    phones: int = 0
    # How often each worker was started (wait_for_workers).
    starts: Counter[str] = field(default_factory=Counter)

    def app_env(self, **extra: str) -> dict[str, str]:
        """The environment of every app process: Kannel wired to this rig."""
        return {
            **self.env,
            "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
            "SMS_ADAPTER": "kannel",
            "SMS_INBOUND_TOKEN": TOKEN,
            "SMS_INBOUND_ALLOWED_IPS": "127.0.0.1,::1",
            "SMS_CALLBACK_BASE_URL": f"http://127.0.0.1:{self.ports['web']}",
            "KANNEL_SENDSMS_URL": f"http://127.0.0.1:{self.ports['sendsms']}/cgi-bin/sendsms",
            "KANNEL_USERNAME": "kotacerdas",
            "KANNEL_PASSWORD": SENDSMS_PASSWORD,
            "KANNEL_SMSC": "",
            "SMS_SENDER": "1717",
            **extra,
        }

    # The app -------------------------------------------------------------

    def start_web(self, *, workers: int = 2, threads: int = 4, access_log: bool = False) -> None:
        """gunicorn on the Kannel endpoint's port; a large backlog, or Kannel's bursts are refused.

        ``access_log``: every request in ``web-access.log`` (tests: which Kannel
        ids were posted twice; the URL holds no personal data, only the token).
        """
        self._spawn(
            "web",
            [
                str(BIN / "gunicorn"),
                "kotacerdas.wsgi:application",
                *("--bind", f"127.0.0.1:{self.ports['web']}"),
                *("--workers", str(workers), "--threads", str(threads)),
                *("--backlog", "4096", "--keep-alive", "30", "--timeout", "60"),
                *(
                    ("--access-logfile", str(self.directory / "web-access.log"))
                    if access_log
                    else ()
                ),
            ],
        )
        wait_until(lambda: answers(self.ports["web"]), 90, "gunicorn did not answer")

    def start_worker(self, name: str, queue: str, *, profile: Path | None = None) -> None:
        """A ``db_worker`` on ``queue`` (``default``: routing; ``sms``: sending).

        ``profile``: run it under cProfile, written there when it is stopped (SIGTERM).
        """
        self.starts[name] += 1
        self._spawn(
            name,
            [
                str(BIN / "python"),
                *(("-m", "cProfile", "-o", str(profile)) if profile else ()),
                # An idle worker looks at the task table every 0.2 s (production: 1 s).
                # Every 0.05 s, the four idle looks cost 15 % of a core, a tenth of
                # the CPU end to end; a busy worker takes its next task at once either way.
                *("manage.py", "db_worker", "--queue-name", queue, "--interval", "0.2"),
                *("--no-startup-delay", "--no-reload", "--worker-id", name),
            ],
        )

    def wait_for_workers(self, names: Sequence[str], seconds: float = 180) -> None:
        """Until each ``db_worker`` in ``names`` polls its queue (Django's start-up takes
        seconds, more on a busy machine: a test or a clock must not count it).

        A worker logs "Starting worker" once per start; its output file is
        appended to across restarts, so the lines are counted.
        """
        for name in names:
            wait_until(partial(self._started, name), seconds, f"{name} did not start")

    def _started(self, name: str) -> bool:
        out = self.directory / f"{name}.out"
        text = out.read_text(errors="replace") if out.exists() else ""
        return text.count(STARTED) >= self.starts[name]

    def start_sweep(self) -> None:
        self._spawn(
            "sweep", [str(BIN / "python"), "manage.py", "sms_sweep", "--loop", "--every", "1"]
        )

    # Kannel ----------------------------------------------------------------

    def start_kannel(self) -> None:
        conf = self.directory / "kannel.conf"
        conf.write_text(
            subprocess.run(  # noqa: S603 - our own manage.py
                [
                    str(BIN / "python"),
                    "manage.py",
                    "kannel_config",
                    *("--admin-port", str(self.ports["admin"])),
                    *("--smsbox-port", str(self.ports["smsbox"])),
                    *("--sendsms-port", str(self.ports["sendsms"])),
                    *("--fake-port", str(self.ports["fake"])),
                    # One argument with "=": a random password may begin with "-",
                    # which argparse would take for an option (1 run in 64).
                    f"--admin-password={ADMIN_PASSWORD}",
                    # Our server refused or died: smsbox asks again a second later.
                    *("--http-queue-delay", "1"),
                    *("--store-file", str(self.directory / "kannel.store")),
                    *("--log-dir", str(self.directory)),
                    # Errors only: at the default levels bearerbox and smsbox
                    # write kilobytes per message, which is most of their time.
                    *("--log-level", "3"),
                ],
                cwd=ROOT,
                env=self.app_env(),
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        self._spawn("bearerbox", [str(BEARERBOX), "-v", "3", str(conf)])
        wait_until(lambda: bool(self.status()), 30, "bearerbox did not come up")
        self.start_smsbox()
        wait_until(lambda: self._port_open(self.ports["sendsms"]), 30, "sendsms did not open")

    def start_smsbox(self) -> None:
        self._spawn("smsbox", [str(SMSBOX), "-v", "3", str(self.directory / "kannel.conf")])
        wait_until(lambda: "smsbox:(none)" in self.status(), 30, "smsbox did not connect")

    def status(self) -> str:
        return http_get(
            f"http://127.0.0.1:{self.ports['admin']}/status.txt?password={ADMIN_PASSWORD}"
        )

    def unacknowledged(self) -> int:
        """Messages bearerbox has handed to smsbox and smsbox has not acknowledged yet."""
        found = re.search(r"smsbox:\S*, IP [\d.]+ \((\d+) queued\)", self.status())
        return int(found.group(1)) if found else 0

    def kannel_counts(self) -> dict[str, int]:
        """bearerbox's own counts: SMS received (from phones) and sent (to phones)."""
        text = self.status()
        received = re.search(r"SMS: received (\d+)", text)
        sent = re.search(r"SMS: received \d+ \([^)]*\), sent (\d+)", text)
        return {
            "received": int(received.group(1)) if received else 0,
            "sent": int(sent.group(1)) if sent else 0,
        }

    @staticmethod
    def _port_open(port: int) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    # Phones ------------------------------------------------------------------

    def phone_sends(self, messages: Sequence[str], count: int, *, interval: float = 0.0) -> None:
        """A fakesmsc that sends ``count`` messages and then listens.

        Each is drawn at random from ``messages`` ("sender receiver text
        words", see :func:`numbers`); one drawn twice is two messages, each
        with its own Kannel id.
        """
        # One phone at a time on the fake SMSC: the one before hangs up
        # (replies on their way wait in bearerbox for the next).
        for earlier in [name for name in self.processes if name.startswith("phone")]:
            self.stop(earlier, timeout=5)
        self.phones += 1
        name = f"phone{self.phones}"
        self._spawn(
            name,
            [
                str(FAKESMSC),
                *("-H", "127.0.0.1", "-r", str(self.ports["fake"])),
                *("-i", f"{interval:g}", "-m", str(count)),
                *messages,
            ],
            log=self.directory / f"{name}.log",
        )

    def replies_at_phones(self) -> Counter[str]:
        """How many messages each number got, from every fakesmsc's log."""
        got: Counter[str] = Counter()
        for log in self.directory.glob("phone*.log"):
            for line in log.read_text(errors="replace").splitlines():
                if "Got message" not in line:
                    continue
                body = line.split("<", 1)[1].rstrip(">")
                parts = body.split(" ", 3)
                if len(parts) >= 2:
                    got[parts[1]] += 1
        return got

    # Processes ---------------------------------------------------------------

    def _spawn(self, name: str, args: list[str], *, log: Path | None = None) -> None:
        out = (log or self.directory / f"{name}.out").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own programs
            args,
            cwd=ROOT,
            env=self.app_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def freeze(self, name: str) -> None:
        """SIGSTOP: ``name`` holds whatever it holds until thawed or killed."""
        os.killpg(self.processes[name].pid, signal.SIGSTOP)

    def thaw(self, name: str) -> None:
        os.killpg(self.processes[name].pid, signal.SIGCONT)

    def posted_ids(self) -> Counter[str]:
        """How often smsbox posted each Kannel id to us (needs ``start_web(access_log=True)``)."""
        log = self.directory / "web-access.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return Counter(re.findall(r"POST /sms/kannel/\S+?[?&]id=([0-9a-f-]+)", text))

    def kill(self, name: str) -> None:
        """SIGKILL ``name`` and its children: no clean shutdown, as in a crash."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, name: str, timeout: float = 15) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def shutdown(self) -> None:
        """Everything down at once: SIGTERM to all, SIGKILL to what is left after 8 s."""
        http_get(f"http://127.0.0.1:{self.ports['admin']}/shutdown?password={ADMIN_PASSWORD}")
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 8
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

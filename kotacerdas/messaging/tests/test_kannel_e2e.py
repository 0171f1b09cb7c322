"""Real Kannel (bearerbox, smsbox, fakesmsc) against our live server.

Needs Debian's kannel and kannel-extras (``apt-get install kannel kannel-extras``;
CI installs them). Run alone with ``pytest -m kannel``.
"""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes

import pytest
from django.core.management import call_command
from django.db import OperationalError, transaction

from kotacerdas.messaging import router
from kotacerdas.messaging.actions import send_sms
from kotacerdas.messaging.models import Message

BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
TOKEN = "kannel-e2e-token-0123456789abcdef"
ADMIN_PASSWORD = "admin-e2e"

pytestmark = [
    pytest.mark.kannel,
    pytest.mark.skipif(
        not BEARERBOX.exists(),
        reason="Kannel is not installed: apt-get install kannel kannel-extras (CI does)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fakesmsc_path() -> Path:
    listing = subprocess.run(
        ["/usr/bin/dpkg", "-L", "kannel-extras"], capture_output=True, text=True, check=False
    ).stdout
    for line in listing.splitlines():
        if line.endswith("/fakesmsc"):
            return Path(line)
    pytest.skip("fakesmsc is missing: apt-get install kannel-extras")


def wait_for(condition: Callable[[], Any], *, timeout: float = 15, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
        except OperationalError:
            # SQLite's shared in-memory test database refuses a read while the
            # live server's thread writes ("table is locked") instead of
            # waiting: not an answer yet, ask again.
            result = None
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")


def http_get(url: str, timeout: float = 2) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except OSError:
        return 0, ""


@dataclass
class Kannel:
    """bearerbox + smsbox from one kannel.conf, and a fakesmsc at a time."""

    directory: Path
    fakesmsc: Path
    admin_port: int = field(default_factory=free_port)
    smsbox_port: int = field(default_factory=free_port)
    sendsms_port: int = field(default_factory=free_port)
    fake_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    phone: subprocess.Popen[bytes] | None = None
    phone_sent: int = 0

    def start(self, callback_base_url: str) -> None:
        conf = self.directory / "kannel.conf"
        with conf.open("w") as out:
            call_command(
                "kannel_config",
                admin_port=self.admin_port,
                smsbox_port=self.smsbox_port,
                sendsms_port=self.sendsms_port,
                fake_port=self.fake_port,
                admin_password=ADMIN_PASSWORD,
                callback_base_url=callback_base_url,
                http_queue_delay=1,
                store_file=str(self.directory / "kannel.store"),
                log_dir=str(self.directory),
                log_level=1,
                stdout=out,
            )
        self._run(BEARERBOX, conf)
        wait_for(lambda: self.status(), what="bearerbox's status page")
        self._run(SMSBOX, conf)
        wait_for(lambda: "smsbox:(none)" in self.status(), what="smsbox on-line")
        wait_for(lambda: http_get(self.sendsms_url)[0] != 0, what="the sendsms port")

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    def status(self) -> str:
        url = f"http://127.0.0.1:{self.admin_port}/status.txt?password={ADMIN_PASSWORD}"
        return http_get(url)[1]

    def phone_sends(self, *messages: str, count: int = 1) -> None:
        """A new fakesmsc that sends ``count`` of ``messages`` and then listens."""
        self.stop_phone()
        log = (self.directory / "fakesmsc.log").open("ab")
        options = ["-H", "127.0.0.1", "-r", str(self.fake_port), "-i", "0.05", "-m", str(count)]
        self.phone = subprocess.Popen(
            [str(self.fakesmsc), *options, *messages],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # Until bearerbox has them all: a fakesmsc stopped earlier loses the rest.
        self.phone_sent += count
        wait_for(lambda: self.received() >= self.phone_sent, what="bearerbox receiving")

    def received(self) -> int:
        found = re.search(r"SMS: received (\d+)", self.status())
        return int(found.group(1)) if found else 0

    def phone_log(self) -> str:
        path = self.directory / "fakesmsc.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def phone_received(self) -> list[str]:
        """Messages fakesmsc got: '<from to coding text>' with UCS-2 decoded."""
        got = []
        for line in self.phone_log().splitlines():
            if "Got message" not in line:
                continue
            body = line.split("<", 1)[1].rstrip(">")
            sender, receiver, coding, text = body.split(" ", 3)
            if coding == "ucs-2":
                text = unquote_to_bytes(text.replace("+", "%20")).decode("utf-16-be")
            got.append(f"{sender} {receiver} {text}")
        return got

    def stop_phone(self) -> None:
        if self.phone is not None and self.phone.poll() is None:
            self.phone.terminate()
            self.phone.wait(5)
        self.phone = None

    def stop(self) -> None:
        http_get(f"http://127.0.0.1:{self.admin_port}/shutdown?password={ADMIN_PASSWORD}")
        for process in [*self.processes, self.phone]:
            if process is None:
                continue
            try:
                process.wait(6)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def _run(self, program: Path, conf: Path) -> None:
        log = (self.directory / f"{program.name}.out").open("ab")
        self.processes.append(
            subprocess.Popen([str(program), str(conf)], stdout=log, stderr=subprocess.STDOUT)
        )


@pytest.fixture
def kannel(tmp_path: Path, settings: Any, live_server: Any) -> Iterator[Kannel]:
    if not SMSBOX.exists() or not Path("/usr/bin/dpkg").exists():
        pytest.skip("Kannel's smsbox is missing: apt-get install kannel")
    gateway = Kannel(directory=tmp_path, fakesmsc=fakesmsc_path())
    settings.SMS_INBOUND_TOKEN = TOKEN
    settings.SMS_INBOUND_ALLOWED_IPS = ["127.0.0.1", "::1"]
    settings.SMS_CALLBACK_BASE_URL = live_server.url
    settings.KANNEL_SENDSMS_URL = gateway.sendsms_url
    settings.KANNEL_USERNAME = "kotacerdas"
    settings.KANNEL_PASSWORD = "sendsms-e2e"
    settings.KANNEL_SMSC = ""
    settings.SMS_SENDER = "1717"
    settings.SMS_ADAPTER = "kannel"
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture
def echo() -> Iterator[list[str]]:
    seen: list[str] = []

    def handle(message: Message, rest: str) -> str:
        seen.append(rest)
        return f"Terima kasih: {rest}"

    router.register("ECHO", handle, help="ECHO <teks>")
    yield seen
    router.unregister("ECHO")


def inbound() -> list[Message]:
    return list(Message.objects.filter(direction="in").order_by("pk"))


def test_an_sms_from_the_phone_is_stored_routed_and_answered(
    kannel: Kannel, live_server: Any, echo: list[str]
) -> None:
    kannel.start(live_server.url)

    kannel.phone_sends("+6281234567890 1717 text ECHO halo kota")

    wait_for(lambda: kannel.phone_received(), what="the reply at the phone")
    [message] = inbound()
    assert message.adapter == "kannel"
    assert message.phone == "+6281234567890"
    assert message.status == Message.Status.PROCESSED
    assert len(message.gateway_id) == 36  # Kannel's %I, a UUID
    assert echo == ["halo kota"]
    assert kannel.phone_received() == ["1717 +6281234567890 Terima kasih: halo kota"]
    reply = wait_for(
        lambda: Message.objects.filter(reply_to=message, status="delivered").first(),
        what="the reply's delivery report",
    )
    assert reply.delivered_at is not None


def test_ucs2_and_long_messages_arrive_whole(kannel: Kannel, live_server: Any) -> None:
    kannel.start(live_server.url)
    arabic = "Tolong 😢 anak + ibu مرحبا بكم"

    kannel.phone_sends(f"+6281234567891 1717 ucs2 {quote(arabic.encode('utf-16-be'))}")
    wait_for(lambda: len(inbound()) == 1, what="the UCS-2 message")
    # Two parts of one concatenated message (UDH reference 0x2a, 2 parts).
    kannel.phone_sends("+6281234567892 1717 udh-text %05%00%03%2a%02%01 Anak tetangga ")
    kannel.phone_sends("+6281234567892 1717 udh-text %05%00%03%2a%02%02 sering dipukul")
    wait_for(lambda: len(inbound()) == 2, what="the long message")

    ucs2, long = inbound()
    assert ucs2.text == arabic
    assert ucs2.encoding == "ucs2"
    assert long.text == "Anak tetangga sering dipukul"


def test_an_outbound_sms_is_marked_delivered_by_kannels_report(
    kannel: Kannel, live_server: Any
) -> None:
    kannel.start(live_server.url)
    kannel.phone_sends("1 2 text x", count=0)  # a phone that only listens

    with transaction.atomic():
        message = send_sms("081234567890", "Jadwal posyandu: Sabtu 08.00", purpose="test")

    message.refresh_from_db()
    assert message.status in {Message.Status.SENT, Message.Status.DELIVERED}
    wait_for(
        lambda: Message.objects.filter(pk=message.pk, status="delivered").exists(),
        what="the delivery report",
    )
    assert kannel.phone_received() == ["1717 +6281234567890 Jadwal posyandu: Sabtu 08.00"]


class Forwarder:
    """Our web server as Kannel sees it: can be down, then come back.

    One request at a time: the live server's in-memory SQLite test database
    cannot take concurrent writes (PostgreSQL can; ``make bench`` shows it).
    """

    def __init__(self, port: int, target: str) -> None:
        self.port, self.target = port, target
        self.server: HTTPServer | None = None

    def start(self) -> None:
        target = self.target

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                # Kannel posts the text as the body, the sender in a header.
                length = int(self.headers.get("Content-Length", "0"))
                forwarded = urllib.request.Request(  # noqa: S310 - loopback test server
                    target + self.path,
                    data=self.rfile.read(length),
                    headers={
                        name: value
                        for name, value in self.headers.items()
                        if name.lower().startswith("x-kannel") or name.lower() == "content-type"
                    },
                    method="POST",
                )
                try:
                    with urllib.request.urlopen(forwarded, timeout=10) as response:  # noqa: S310
                        status, body = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, body = error.code, error.read()
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def test_nothing_is_lost_while_our_server_is_down(
    kannel: Kannel, live_server: Any, settings: Any, echo: list[str]
) -> None:
    port = free_port()
    forwarder = Forwarder(port, live_server.url)
    settings.SMS_CALLBACK_BASE_URL = f"http://127.0.0.1:{port}"
    kannel.start(f"http://127.0.0.1:{port}")  # nothing listens there yet
    try:
        kannel.phone_sends("+6281234567893 1717 text ECHO tunda", count=5)
        time.sleep(1.5)  # smsbox tries, fails, and queues the requests again
        assert inbound() == []

        forwarder.start()
        wait_for(
            lambda: Message.objects.filter(direction="in", status="processed").count() == 5,
            timeout=20,
            what="the five messages after the server came back",
        )
        time.sleep(1.5)  # a duplicate retry would arrive now
    finally:
        forwarder.stop()

    messages = inbound()
    assert len(messages) == 5
    assert len({m.gateway_id for m in messages}) == 5
    assert echo == ["tunda"] * 5

"""Print a kannel.conf wired to this project: inbound to our endpoint, DLRs back.

    manage.py kannel_config --admin-password … > /etc/kannel/kannel.conf

Everything listens on loopback; bearerbox, smsbox and our web server are
expected on one machine (or one private network: see ``--bind``).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from kotacerdas.core.addresses import public_base_url

# What smsbox passes us for each inbound SMS (see gateway_views.kannel_inbound).
# The text travels in the POST body and the sender in X-Kannel-From: a child's
# story and a reporter's number must not sit in a URL, where access logs keep
# them. The query has only what is not personal: our number, the coding and
# charset (UCS-2 arrives byte for byte), Kannel's id %I (our idempotency key).
INBOUND_QUERY = "to=%P&coding=%c&charset=%C&id=%I&ts=%T&smsc=%i"


class Command(BaseCommand):
    help = "Print a kannel.conf for our settings (core, SMSC, smsbox, sendsms-user, sms-service)."

    def add_arguments(self, parser: CommandParser) -> None:
        sendsms = urlsplit(settings.KANNEL_SENDSMS_URL)
        parser.add_argument("--admin-port", type=int, default=13000)
        parser.add_argument("--smsbox-port", type=int, default=13001)
        parser.add_argument("--sendsms-port", type=int, default=sendsms.port or 13013)
        parser.add_argument(
            "--admin-password", default="", help="bearerbox's admin password (default: random)"
        )
        parser.add_argument("--bind", default="127.0.0.1", help="address Kannel listens on")
        parser.add_argument(
            "--callback-base-url",
            default=settings.SMS_CALLBACK_BASE_URL,
            help="where smsbox reaches our web server (default: SMS_CALLBACK_BASE_URL)",
        )
        parser.add_argument(
            "--smsc",
            choices=["fake", "smpp", "at"],
            default="fake",
            help="fake: fakesmsc for development and tests; smpp: an operator's SMSC; at: a GSM modem",
        )
        parser.add_argument("--smsc-id", default=settings.KANNEL_SMSC or "sms-centre")
        parser.add_argument("--fake-port", type=int, default=10000, help="fakesmsc's port")
        parser.add_argument("--smpp-host", default="")
        parser.add_argument("--smpp-port", type=int, default=2775)
        parser.add_argument("--smpp-system-id", default="")
        parser.add_argument("--smpp-password", default="")
        parser.add_argument("--modem-device", default="/dev/ttyUSB0")
        parser.add_argument(
            "--http-request-retry",
            type=int,
            default=8640,
            help="how often smsbox retries a request our server failed (default: a day's worth)",
        )
        parser.add_argument(
            "--http-queue-delay", type=int, default=10, help="seconds between those retries"
        )
        parser.add_argument(
            "--max-pending-requests",
            type=int,
            default=32,
            help="how many inbound messages and delivery reports smsbox posts to us at once",
        )
        parser.add_argument("--store-file", default="/var/spool/kannel/kannel.store")
        parser.add_argument("--log-dir", default="/var/log/kannel")
        parser.add_argument("--log-level", type=int, default=1, choices=range(5))

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(render(**options), ending="")


def render(
    *,
    admin_port: int = 13000,
    smsbox_port: int = 13001,
    sendsms_port: int = 13013,
    admin_password: str = "",
    bind: str = "127.0.0.1",
    callback_base_url: str = "",
    smsc: str = "fake",
    smsc_id: str = "sms-centre",
    fake_port: int = 10000,
    smpp_host: str = "",
    smpp_port: int = 2775,
    smpp_system_id: str = "",
    smpp_password: str = "",
    modem_device: str = "/dev/ttyUSB0",
    http_request_retry: int = 8640,
    http_queue_delay: int = 10,
    max_pending_requests: int = 32,
    store_file: str = "/var/spool/kannel/kannel.store",
    log_dir: str = "/var/log/kannel",
    log_level: int = 1,
    **_: Any,
) -> str:
    """The kannel.conf text; raises CommandError for settings Kannel cannot run with."""
    if not settings.KANNEL_PASSWORD:
        raise CommandError("Set KANNEL_PASSWORD: sendsms refuses a user without a password.")
    if not settings.SMS_INBOUND_TOKEN:
        raise CommandError("Set SMS_INBOUND_TOKEN: it is part of the URL Kannel calls.")
    if smsc == "smpp" and not (smpp_host and smpp_system_id and smpp_password):
        raise CommandError("--smsc smpp needs --smpp-host, --smpp-system-id and --smpp-password.")
    base = public_base_url(callback_base_url or settings.SMS_CALLBACK_BASE_URL)
    path = reverse("sms-gateway:kannel-inbound", kwargs={"token": settings.SMS_INBOUND_TOKEN})
    admin_password = admin_password or secrets.token_urlsafe(18)
    logs = Path(log_dir)
    groups = [
        _group(
            "core",
            {
                "admin-port": admin_port,
                "admin-interface": bind,
                "admin-password": admin_password,
                "status-password": admin_password,
                "admin-allow-ip": "127.0.0.1",
                "smsbox-port": smsbox_port,
                "smsbox-interface": bind,
                "box-allow-ip": "127.0.0.1",
                # Messages survive a restart of bearerbox.
                "store-type": "file",
                "store-location": store_file,
                "dlr-storage": "internal",
                # Long messages reach us whole, not part by part.
                "sms-combine-concatenated-mo": "true",
                "log-file": str(logs / "bearerbox.log"),
                "log-level": log_level,
                "access-log": str(logs / "access.log"),
            },
        ),
        _group(
            "smsc",
            _smsc_fields(
                smsc,
                smsc_id=smsc_id,
                fake_port=fake_port,
                smpp=(smpp_host, smpp_port, smpp_system_id, smpp_password),
                modem_device=modem_device,
            ),
        ),
        _group(
            "smsbox",
            {
                "bearerbox-host": "127.0.0.1",
                "bearerbox-port": smsbox_port,
                "sendsms-port": sendsms_port,
                "sendsms-interface": bind,
                # Our server down or slow: keep the message and ask again later,
                # instead of answering the citizen "Could not fetch content".
                "http-request-retry": http_request_retry,
                "http-queue-delay": http_queue_delay,
                # Kannel's default, 512, means up to 512 requests to us at once,
                # each on a connection of its own, which smsbox then polls
                # every time any of them moves: under a rush that polling was
                # a third of smsbox's CPU. 32 keeps more app server threads
                # busy than we run; the rest wait in bearerbox's store, as safe.
                "max-pending-requests": max_pending_requests,
                "reply-couldnotfetch": "",
                "reply-emptymessage": "",
                "log-file": str(logs / "smsbox.log"),
                "log-level": log_level,
                "access-log": str(logs / "smsbox-access.log"),
            },
        ),
        _group(
            "sendsms-user",
            {
                "username": settings.KANNEL_USERNAME,
                "password": settings.KANNEL_PASSWORD,
                "user-allow-ip": "127.0.0.1",
                "concatenation": "true",
                "max-messages": 10,
                "faked-sender": settings.SMS_SENDER,
                "default-smsc": smsc_id,
            },
        ),
        _group(
            "sms-service",
            {
                "keyword": "default",
                "catch-all": "true",
                "post-url": f"{base}{path}?{INBOUND_QUERY}",
                "send-sender": "true",
                # No reply from the HTTP answer: replies go through sendsms.
                "max-messages": 0,
                "omit-empty": "true",
                "concatenation": "true",
                "accepted-smsc": smsc_id,
            },
        ),
    ]
    header = "# kannel.conf for Kota Cerdas Cirebon, printed by `manage.py kannel_config`.\n"
    return header + "\n".join(groups)


def _smsc_fields(
    smsc: str,
    *,
    smsc_id: str,
    fake_port: int,
    smpp: tuple[str, int, str, str],
    modem_device: str,
) -> dict[str, object]:
    common: dict[str, object] = {"smsc-id": smsc_id}
    if smsc == "fake":
        return {
            "smsc": "fake",
            **common,
            "our-host": "127.0.0.1",
            "port": fake_port,
            "connect-allow-ip": "127.0.0.1",
        }
    if smsc == "smpp":
        host, port, system_id, password = smpp
        return {
            "smsc": "smpp",
            **common,
            "host": host,
            "port": port,
            "transceiver-mode": "true",
            "smsc-username": system_id,
            "smsc-password": password,
            "system-type": "",
            "source-addr-ton": 0,
            "source-addr-npi": 1,
            "dest-addr-ton": 1,
            "dest-addr-npi": 1,
        }
    return {
        "smsc": "at",
        **common,
        "modemtype": "auto",
        "device": modem_device,
        "speed": 115200,
        "sms-center": "",
    }


def _group(name: str, fields: dict[str, object]) -> str:
    lines = [f"group = {name}"]
    for key, value in fields.items():
        lines.append(f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {value}")
    return "\n".join(lines) + "\n"

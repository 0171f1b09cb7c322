"""Small helpers for tests and benches that start real processes (no Django here).

Shared by ``stack`` (the scale-out layout) and ``kannel_rig`` (real Kannel),
which the SMS bench imports before any settings exist.
"""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Callable
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int, path: str = "/healthz") -> bool:
    """Whether an HTTP server on ``port`` answers ``path`` at all."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        conn.getresponse().read()
        conn.close()
    except OSError:
        return False
    return True


def wait_until(check: Callable[[], Any], seconds: float, what: str) -> None:
    """Poll ``check`` until it is true; RuntimeError naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} within {seconds:g} s")

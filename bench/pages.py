"""Residents list and search pages at city scale, served by gunicorn (2 workers).

The lists (first and last page) are loaded with wrk, 16 connections for 5 s,
with the signed-in officer's session cookie: p50 and rate, each beside the same
server's hello-world (``/halo``) p50 and rate. Target (issue 12): p50 ≤ 50 ms.
Searches are POSTs: timed one after another on a kept-alive connection
(median of REQUESTS requests); so is Disdukcapil's population statistics of
the whole city (issue 13: ≤ 300 ms server time at city scale). Query counts are measured separately,
in-process, with Django's test Client against the same database.
"""

from __future__ import annotations

import http.client
import math
import re
import statistics
import subprocess
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.common import (
    PYTHON,
    RESULTS,
    ROOT,
    Figure,
    Load,
    baseline,
    bench_env,
    free_port,
    start_gunicorn,
    stop_server,
    wrk,
)

TARGET_MS = 50.0
STATISTICS_TARGET_MS = 300.0
REQUESTS = 50  # searches, one after another
WARM_UP = 5
SCENARIO_BUDGET_S = 240.0  # a scenario stops early (and says so) past this
PASSWORD = "cirebon-demo"  # the demo password, printed by `manage.py demo`
PERSONAS = ["rw01.kejaksan", "kel.kejaksan", "dukcapil"]
PAGE_SIZE = 50
_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Scenario:
    persona: str
    label: str
    method: str
    path: str
    form: dict[str, str] | None = None
    queries: int | None = None
    target_ms: float = TARGET_MS
    one_at_a_time: bool = False


class Browser:
    """One kept-alive connection to 127.0.0.1 with a cookie jar: a signed-in officer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def close(self) -> None:
        self.conn.close()

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        match = _CSRF.search(data)
        if match:
            self.csrf = match.group(1).decode()
        return response.status, response.headers.get("Location", ""), data

    def sign_in(self, username: str) -> None:
        self.request("GET", "/masuk/")
        status, location, _ = self.request(
            "POST",
            "/masuk/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf},
        )
        if status != 302:
            raise RuntimeError(f"{username} could not sign in (HTTP {status})")
        status, location, _ = self.request("GET", "/penduduk/")
        if status == 302 and location.startswith("/kode/"):
            self._second_factor(username)
            status, location, _ = self.request("GET", "/penduduk/")
        if status != 200:
            raise RuntimeError(f"{username} cannot open /penduduk/ (HTTP {status} → {location})")

    def _second_factor(self, username: str) -> None:
        # A TOTP code is accepted once: if this time step's code was used (an
        # earlier run, the in-process login), wait for the next one.
        for _attempt in range(2):
            code = subprocess.run(
                [str(PYTHON), "manage.py", "totp_code", username],
                cwd=ROOT,
                env=bench_env(),
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            self.request("GET", "/kode/")
            status, _, _ = self.request(
                "POST", "/kode/", {"code": code, "csrfmiddlewaretoken": self.csrf}
            )
            if status == 302:
                return
            time.sleep(31 - time.time() % 30)
        raise RuntimeError(f"{username}: the TOTP code was refused twice")


def scenarios() -> list[Scenario]:
    """The pages to time, and their query counts measured in-process (Django test Client)."""
    import django

    django.setup()
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kotacerdas.accounts.models import User
    from kotacerdas.people.access import persons_for_user

    found: list[Scenario] = []
    try:
        for username in PERSONAS:
            user = User.objects.get(username=username)
            people = persons_for_user(user)
            pages = max(1, math.ceil(people.count() / PAGE_SIZE))
            sample = (
                people.exclude(nik=None).order_by("id").values_list("nik", flat=True).first()
                or "3274010101000001"
            )
            found += [
                Scenario(username, "list, page 1", "GET", "/penduduk/"),
                Scenario(
                    username, f"list, last page ({pages:,})", "GET", f"/penduduk/?page={pages}"
                ),
                Scenario(username, "search 'siti'", "POST", "/penduduk/", {"q": "siti"}),
                Scenario(
                    username, "search 'siti hidayat'", "POST", "/penduduk/", {"q": "siti hidayat"}
                ),
                Scenario(
                    username, f"search NIK {sample[:6]}…", "POST", "/penduduk/", {"q": sample[:6]}
                ),
                Scenario(
                    username, f"search NIK {sample[:10]}…", "POST", "/penduduk/", {"q": sample[:10]}
                ),
            ]
            if username == "dukcapil":
                found.append(
                    Scenario(
                        username,
                        "population statistics, whole city",
                        "GET",
                        "/penduduk/statistik/",
                        target_ms=STATISTICS_TARGET_MS,
                        one_at_a_time=True,
                    )
                )
            client = Client()
            client.force_login(user)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is not None:
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
            for scenario in found:
                if scenario.persona != username:
                    continue
                with CaptureQueriesContext(connection) as queries:
                    if scenario.method == "GET":
                        response = client.get(scenario.path)
                    else:
                        response = client.post(scenario.path, scenario.form or {})
                if response.status_code != 200:
                    raise RuntimeError(
                        f"{username} {scenario.label}: HTTP {response.status_code} in-process"
                    )
                scenario.queries = len(queries.captured_queries)
    finally:
        connections.close_all()
    return found


def measure(browser: Browser, scenario: Scenario) -> list[float]:
    form = None
    if scenario.form is not None:
        form = scenario.form | {"csrfmiddlewaretoken": browser.csrf}
    timings: list[float] = []
    started = time.monotonic()
    for i in range(WARM_UP + REQUESTS):
        t0 = time.perf_counter()
        status, location, _ = browser.request(scenario.method, scenario.path, form)
        elapsed = (time.perf_counter() - t0) * 1000
        if status != 200:
            raise RuntimeError(f"{scenario.persona} {scenario.label}: HTTP {status} {location}")
        if i >= WARM_UP:
            timings.append(elapsed)
        if time.monotonic() - started > SCENARIO_BUDGET_S:
            break
    return timings


def run() -> list[Figure]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    print("pages: counting queries in-process …", flush=True)
    todo = scenarios()
    port = free_port()
    print(f"pages: gunicorn (2 workers) on 127.0.0.1:{port}, wrk c=16 on the lists …", flush=True)
    figures: list[Figure] = []
    server = start_gunicorn(
        port,
        bench_env(DEBUG="false", LOG_LEVEL="WARNING"),
        RESULTS / "gunicorn.log",
        workers=2,
        extra_args=("--keep-alive", "30", "--timeout", "60"),
    )
    try:
        hello = baseline(port)
        browsers: dict[str, Browser] = {}
        for scenario in todo:
            browser = browsers.get(scenario.persona)
            if browser is None:
                browser = browsers[scenario.persona] = Browser(port)
                browser.sign_in(scenario.persona)
            name = f"{scenario.persona}: {scenario.label}"
            if scenario.method == "GET" and not scenario.one_at_a_time:
                figures += loaded(port, browser, scenario, name, hello)
            else:
                figures += timed(browser, scenario, name)
        for browser in browsers.values():
            browser.close()
    finally:
        stop_server(server)
    return figures


def session_headers(browser: Browser) -> dict[str, str]:
    """The signed-in officer's cookies, for wrk."""
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items())}


def loaded(port: int, browser: Browser, scenario: Scenario, name: str, hello: Load) -> list[Figure]:
    """``scenario`` under wrk c=16: p50 beside hello-world's p50, rate beside its rate."""
    status, location, _ = browser.request("GET", scenario.path)
    if status != 200:
        raise RuntimeError(f"{name}: HTTP {status} {location}")
    load = wrk(
        f"http://127.0.0.1:{port}{scenario.path}", headers=session_headers(browser), timeout=30
    )
    print(
        f"  {name:<52} p50 {load.p50_ms:7.1f} ms  p99 {load.p99_ms:7.1f} ms  "
        f"{load.rate:6.0f} req/s  {scenario.queries} queries",
        flush=True,
    )
    errors = f"; {load.errors} errors or timeouts under wrk" if load.errors else ""
    return [
        Figure(
            f"{name}, p50 (wrk c=16)",
            load.p50_ms,
            "ms",
            TARGET_MS,
            note=f"{scenario.queries} queries{errors}",
            baseline=hello.p50_ms,
        ),
        Figure(f"{name}, rate (wrk c=16)", load.rate, "req/s", higher=True, baseline=hello.rate),
    ]


def timed(browser: Browser, scenario: Scenario, name: str) -> list[Figure]:
    """A search, one request after another: its median server time."""
    timings = measure(browser, scenario)
    median = statistics.median(timings)
    short = f", only {len(timings)} requests (time budget)" if len(timings) < REQUESTS else ""
    print(
        f"  {name:<52} median {median:7.1f} ms (sequential)  {scenario.queries} queries{short}",
        flush=True,
    )
    return [
        Figure(
            f"{name}, median (one at a time)",
            median,
            "ms",
            scenario.target_ms,
            note=f"{scenario.queries} queries{short}",
        )
    ]

"""BSrE TTE (national e-signature, PAdES): the adapter that signs a letter's PDF.

The shape is that of the BSrE eSign API as OpenSID uses it: ``GET
api/user/status/{nik}`` says whether the signer's certificate is active;
``POST api/sign/pdf`` (HTTP basic auth) with a multipart ``file``, ``nik``,
``passphrase`` and ``tampilan=invisible`` answers 200 with the signed PDF, or
an error status with JSON ``{"error": …, "status_code": …}``. The signed PDF
is stored byte for byte as returned (the QR is on the page before signing).

Never called inside a transaction: the call can take seconds and a failure
must not roll back the letter it signs.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from urllib import error, request

from django.conf import settings
from django.db import transaction

# BSrE signs a one-page letter in about a second; past this the letter waits for a wet signature.
TIMEOUT_SECONDS = 30


class SigningFailed(Exception):
    """BSrE refused or could not be reached; the letter stays unsigned (print and sign by hand)."""


@dataclass(frozen=True)
class BSrESigner:
    code = "bsre"
    name = "BSrE TTE"
    url: str
    user: str
    password: str
    nik: str
    passphrase: str
    timeout: int

    def _call(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> bytes:
        if transaction.get_connection().in_atomic_block:
            raise RuntimeError("BSrE is never called inside a transaction (store → call → record)")
        headers = {"Authorization": "Basic " + _basic(self.user, self.password)}
        if content_type:
            headers["Content-Type"] = content_type
        if not self.url.startswith(("https://", "http://")):
            raise SigningFailed("KELURAHAN_BSRE_URL must be an http(s) address")
        req = request.Request(  # noqa: S310 (scheme checked above)
            self.url.rstrip("/") + path, data=body, method=method, headers=headers
        )
        try:
            with request.urlopen(req, timeout=self.timeout) as response:  # noqa: S310
                content: bytes = response.read()
                return content
        except error.HTTPError as failure:
            raise SigningFailed(_error_text(failure.read())) from failure
        except (error.URLError, TimeoutError) as failure:
            raise SigningFailed(str(failure)) from failure

    def status(self) -> str:
        answer = json.loads(self._call("GET", f"/api/user/status/{self.nik}"))
        return str(answer.get("status", ""))

    def sign(self, pdf: bytes) -> bytes:
        boundary = uuid.uuid4().hex
        fields = {"nik": self.nik, "passphrase": self.passphrase, "tampilan": "invisible"}
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="surat.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + pdf
            + f"\r\n--{boundary}--\r\n".encode()
        )
        signed = self._call(
            "POST", "/api/sign/pdf", body, f"multipart/form-data; boundary={boundary}"
        )
        if not signed.startswith(b"%PDF-"):
            raise SigningFailed("BSrE answered without a PDF")
        return signed


def _basic(user: str, password: str) -> str:
    import base64

    return base64.b64encode(f"{user}:{password}".encode()).decode()


def _error_text(raw: bytes) -> str:
    try:
        answer = json.loads(raw)
    except ValueError:
        return raw[:200].decode(errors="replace")
    return f"{answer.get('status_code', '')} {answer.get('error', '')}".strip()


def configured_signer(kelurahan_code: str) -> BSrESigner | None:
    """The signer for this kelurahan's Lurah, or None where BSrE is not configured."""
    signers = dict(item.split("=", 1) for item in settings.KELURAHAN_BSRE_SIGNERS if "=" in item)
    nik = signers.get(kelurahan_code, "")
    config = settings.KELURAHAN_BSRE
    if not config["url"] or not nik:
        return None
    return BSrESigner(
        url=config["url"],
        user=config["user"],
        password=config["password"],
        nik=nik,
        passphrase=config["passphrase"],
        timeout=TIMEOUT_SECONDS,
    )

"""Printed documents: nothing fetched from outside, and the QR code reads back from the paper."""

from __future__ import annotations

from pathlib import Path

import pytest

from kotacerdas.conftest import needs_qr_tools, read_qr
from kotacerdas.core import pdf


def test_rendering_fetches_no_url(monkeypatch):
    """WeasyPrint is given a fetcher that refuses all but data: URLs (no SSRF, no local files)."""
    from urllib import request

    opened: list[str] = []
    real_open = request.OpenerDirector.open

    def opened_url(self, req, *args, **kwargs):
        url = getattr(req, "full_url", req)
        opened.append(url)
        if not url.startswith("data:"):
            raise OSError("no network in tests")
        return real_open(self, req, *args, **kwargs)

    monkeypatch.setattr(request.OpenerDirector, "open", opened_url)
    fetcher = pdf.data_only_fetcher()
    for url in ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    # A 1×1 PNG inline still loads; an external image is skipped, not fetched.
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
    )
    content = pdf.html_to_pdf(
        f'<p>Akta</p><img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
        f'<img src="{pixel}">'
    )
    assert content.startswith(b"%PDF")
    assert opened == [pixel], opened


@needs_qr_tools
def test_a_printed_qr_code_reads_back(tmp_path: Path):
    """The PNG QR at the 30 mm a letter prints it scans from a 150 dpi picture of the page."""
    url = "https://cirebonkota.go.id/cek-surat/K7MW-3QXP-9TRD-H4NC/"
    html = f'<img src="{pdf.qr_png(url)}" style="width: 30mm; image-rendering: pixelated">'
    document = tmp_path / "doc.pdf"
    document.write_bytes(pdf.html_to_pdf(html))
    assert read_qr(document) == url

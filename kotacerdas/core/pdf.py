"""Printed documents: server-rendered HTML to an A4 PDF with WeasyPrint, fetching nothing.

Every service that prints (letters, birth certificates, class certificates,
evidence packs) goes through :func:`html_to_pdf`, so they share two things:

- a URL fetcher that loads ``data:`` URLs and refuses everything else: no text
  that ever reaches a template (a name with markup, a future change) can make
  the server fetch a web address or read a local file;
- one fetcher and one parsed stylesheet per process, and one font
  configuration per thread (Pango's font map is not shared across threads).
  Building WeasyPrint's fetcher builds an ``urllib`` opener, which loads the
  system's CA certificates: about 20 ms, a quarter of a letter's rendering,
  paid for nothing on every document before this module kept one; a font
  configuration costs 3 ms more.

QR codes go in as PNG (:func:`qr_png`), not SVG: WeasyPrint parses an SVG
code's path on every document (9 ms), an image it only embeds.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any


@functools.cache
def data_only_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                raise ValueError(f"Printed documents fetch no URLs: {url[:80]}")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols=("data",), allow_redirects=False)


_local = threading.local()


def _font_config() -> Any:
    if not hasattr(_local, "fonts"):
        from weasyprint.text.fonts import FontConfiguration

        _local.fonts = FontConfiguration()
    return _local.fonts


def qr_png(text: str) -> str:
    """A ``data:`` URL of the QR code of ``text`` (error correction M), for an ``<img>``.

    Four pixels a module: sharp at the 25–30 mm a document prints it, which
    the page's stylesheet sets.
    """
    import segno

    uri: str = segno.make(text, error="m").png_data_uri(scale=4, border=2)
    return uri


@functools.cache
def _stylesheet(path: Path) -> Any:
    from weasyprint import CSS

    return CSS(filename=str(path), url_fetcher=data_only_fetcher())


def html_to_pdf(html: str, stylesheet: Path | None = None) -> bytes:
    """The PDF of ``html``, styled by the stylesheet file ``stylesheet`` (parsed once)."""
    from weasyprint import HTML

    sheets = [_stylesheet(stylesheet)] if stylesheet else []
    content: bytes = HTML(string=html, url_fetcher=data_only_fetcher()).write_pdf(
        stylesheets=sheets, font_config=_font_config()
    )
    return content

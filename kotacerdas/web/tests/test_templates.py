"""Templates keep to what the Content-Security-Policy allows."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# style-src 'self' blocks style attributes, and script-src blocks inline
# scripts without the page's nonce: a page relying on either breaks silently.
INLINE_STYLE = re.compile(r"\sstyle=")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)")
EVENT_HANDLER = re.compile(r"\son[a-z]+=")


def test_no_template_uses_inline_styles_or_scripts_the_policy_blocks():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if INLINE_STYLE.search(line) or INLINE_SCRIPT.search(line) or EVENT_HANDLER.search(line)
    ]

    assert offenders == []

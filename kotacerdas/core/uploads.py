"""Is an uploaded file what its name says? Checked by its content, not its name.

A name is whatever the sender typed: an HTML page renamed ``.pdf`` would be
stored and handed to the next reader as a "PDF". Each kind of file the
platform accepts is recognised here by its first bytes (PDF, JPEG, PNG) or,
for the office formats that are ZIP archives, by the part every such file
has (``word/document.xml`` for DOCX, the ``mimetype`` entry for ODT).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _starts_with(*signatures: bytes) -> Callable[[IO[bytes]], bool]:
    def check(file: IO[bytes]) -> bool:
        return file.read(16).startswith(signatures)

    return check


def _zip_with(test: Callable[[zipfile.ZipFile], bool]) -> Callable[[IO[bytes]], bool]:
    def check(file: IO[bytes]) -> bool:
        try:
            with zipfile.ZipFile(file) as archive:
                return test(archive)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError):
            return False

    return check


@dataclass(frozen=True)
class FileKind:
    content_type: str
    matches: Callable[[IO[bytes]], bool]


KINDS = {
    "pdf": FileKind("application/pdf", _starts_with(b"%PDF-")),
    "jpg": FileKind("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    "jpeg": FileKind("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    "png": FileKind("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    "docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with(lambda zip: "word/document.xml" in zip.namelist()),
    ),
    "odt": FileKind(
        "application/vnd.oasis.opendocument.text",
        _zip_with(lambda zip: zip.read("mimetype").strip() == ODT_MIMETYPE),
    ),
}


def suffix_of(upload: Any) -> str:
    """The lower-case extension of the upload's name, without the dot ("" if none)."""
    name = upload.name or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def checked_content_type(upload: Any, allowed: Collection[str]) -> str | None:
    """The content type of ``upload`` when its suffix is in ``allowed`` and its content agrees.

    None when the suffix is not allowed (the caller names what is accepted);
    ValidationError when the name promises a kind the content is not.
    """
    suffix = suffix_of(upload)
    if suffix not in allowed or suffix not in KINDS:
        return None
    kind = KINDS[suffix]
    upload.seek(0)
    try:
        matches = kind.matches(upload)
    finally:
        upload.seek(0)
    if not matches:
        raise ValidationError(
            _("This file is not really a %(kind)s file (its contents do not match its name).")
            % {"kind": suffix.upper()},
            code="content_mismatch",
        )
    return kind.content_type

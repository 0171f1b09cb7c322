"""A fast, streaming reader of an .xlsx workbook's first sheet: values only.

openpyxl's read-only mode builds Python objects for every cell and reads a
whole city's extract (343,000 residents, 26 columns) in minutes; here the
sheet's XML is decompressed in pieces and its cells found with one compiled
regular expression, so the file is read in seconds and in constant memory
(besides the shared strings, which Excel keeps once per distinct text).

Only what the import needs: text (shared or inline), numbers, booleans and
dates (a number whose cell style is a date format). A workbook this reader
does not understand (XML with namespace prefixes, no sheet) raises
``Unsupported``; ``sheet.open_sheet`` then falls back to openpyxl.

The small XML parts (workbook, relationships, styles, shared strings) go
through ElementTree: Python's expat (2.6) refuses entity-expansion bombs and
ElementTree never fetches external entities, which is what defusedxml guards.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}
CHUNK = 1 << 20

ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
ROW_NUMBER = re.compile(rb'\br="(\d+)"')
CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
ATTR_R = re.compile(rb'\br="([A-Z]+)\d*"')
ATTR_T = re.compile(rb'\bt="(\w+)"')
ATTR_S = re.compile(rb'\bs="(\d+)"')
VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
TEXT = re.compile(rb"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)


class Unsupported(Exception):
    """Not a workbook this reader understands; use openpyxl."""


def _column(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


class Workbook:
    """The first worksheet of an .xlsx; ``rows()`` yields tuples of values."""

    def __init__(self, file: IO[bytes]):
        try:
            self.zip = zipfile.ZipFile(file)
            self.sheet_path = self._first_sheet()
            self.strings = self._shared_strings()
            self.date_styles = self._date_styles()
        except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, StopIteration) as exc:
            raise Unsupported(str(exc)) from exc

    def close(self) -> None:
        self.zip.close()

    def _first_sheet(self) -> str:
        workbook = ElementTree.fromstring(self.zip.read("xl/workbook.xml"))  # noqa: S314
        sheet = next(iter(workbook.iter(f"{MAIN}sheet")))
        rel_id = sheet.get(f"{REL}id")
        rels = ElementTree.fromstring(  # noqa: S314
            self.zip.read("xl/_rels/workbook.xml.rels")
        )
        for rel in rels.iter(f"{PKG_REL}Relationship"):
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join("xl", target))
        raise KeyError("first sheet")

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        strings: list[str] = []
        with self.zip.open("xl/sharedStrings.xml") as file:
            for _event, element in ElementTree.iterparse(file):  # noqa: S314
                if element.tag == f"{MAIN}si":
                    strings.append("".join(t.text or "" for t in element.iter(f"{MAIN}t")))
                    element.clear()
        return strings

    def _date_styles(self) -> set[int]:
        if "xl/styles.xml" not in self.zip.namelist():
            return set()
        styles = ElementTree.fromstring(self.zip.read("xl/styles.xml"))  # noqa: S314
        date_formats = set(BUILTIN_DATE_FORMATS)
        for fmt in styles.iter(f"{MAIN}numFmt"):
            code = re.sub(r'"[^"]*"|\[[^]]*\]', "", fmt.get("formatCode", "")).lower()
            if any(c in code for c in "dmy") and "@" not in code:
                date_formats.add(int(fmt.get("numFmtId", "0")))
        xfs = styles.find(f"{MAIN}cellXfs")
        if xfs is None:
            return set()
        return {
            index
            for index, xf in enumerate(xfs.iter(f"{MAIN}xf"))
            if int(xf.get("numFmtId", "0")) in date_formats
        }

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Every row from the first, a missing row as an empty tuple (so that
        row numbers stay as Excel shows them)."""
        with self.zip.open(self.sheet_path) as file:
            buffer = file.read(CHUNK)
            if re.search(rb"<\w+:worksheet\b", buffer[:4096]):
                raise Unsupported("namespace prefix")
            expected = 1
            while True:
                piece = file.read(CHUNK)
                if piece:
                    buffer += piece
                    end = buffer.rfind(b"</row>")
                    if end == -1:
                        continue
                    end += len(b"</row>")
                else:
                    end = len(buffer)
                for match in ROW.finditer(buffer, 0, end):
                    number = ROW_NUMBER.search(match.group(1))
                    if number is not None:
                        while expected < int(number.group(1)):
                            yield ()
                            expected += 1
                    expected += 1
                    yield self._row(match.group(2) or b"")
                buffer = buffer[end:]
                if not piece:
                    return

    def _row(self, body: bytes) -> tuple[Any, ...]:
        values: list[Any] = []
        for cell in CELL.finditer(body):
            attrs, inner = cell.group(1), cell.group(2) or b""
            # A substring test first: most cells lack one attribute or another,
            # and a regular expression costs more than the test.
            ref = ATTR_R.search(attrs) if b'r="' in attrs else None
            if ref is not None:
                index = _column(ref.group(1))
                if index > len(values):
                    values.extend([None] * (index - len(values)))
            values.append(self._value(attrs, inner))
        return tuple(values)

    def _value(self, attrs: bytes, inner: bytes) -> Any:
        kind_match = ATTR_T.search(attrs) if b't="' in attrs else None
        kind = kind_match.group(1) if kind_match else b"n"
        if kind == b"inlineStr":
            texts = TEXT.findall(inner)
            if len(texts) == 1:
                return _text(texts[0])
            return "".join(_text(t) for t in texts)
        found = VALUE.search(inner)
        if found is None:
            return None
        raw = found.group(1)
        if kind == b"s":
            return self.strings[int(raw)]
        if kind in (b"str", b"e"):
            return _text(raw)
        if kind == b"b":
            return raw == b"1"
        number: float | int = float(raw) if (b"." in raw or b"E" in raw) else int(raw)
        style = ATTR_S.search(attrs) if b's="' in attrs else None
        if style is not None and int(style.group(1)) in self.date_styles:
            try:
                return EXCEL_EPOCH + dt.timedelta(days=float(number))
            except OverflowError:
                return number
        return number

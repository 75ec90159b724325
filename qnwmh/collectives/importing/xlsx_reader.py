"""A small streaming .xlsx reader for imports.

openpyxl's read-only mode spends most of an import parsing cells through its descriptor
machinery (measured: about half the time of a 10,000-row import). This reader walks the
sheet XML with ``iterparse`` and keeps one row in memory: values come out as str, int,
float, bool, datetime, or :class:`Formula` for a cell holding a formula. Dates are recognised
by the cell's number format, as Excel does. XML parsing is expat's (entity expansion
limits on, no external entities).
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import iterparse

# Built-in number formats that show dates or times.
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_EPOCH = datetime.datetime(1899, 12, 30)


class Formula(str):
    """A cell holding a formula (its text, with a leading =)."""

    __slots__ = ()


# Tag → local name, and column letters → index: a sheet repeats a handful of each a million
# times, so a dict look-up replaces the string work per element.
_LOCALS: dict[str, str] = {}
_COLUMNS: dict[str, int] = {}
_DIGITS = "0123456789"


def _local(tag: str) -> str:
    local = _LOCALS.get(tag)
    if local is None:
        local = _LOCALS[tag] = tag.rsplit("}", 1)[-1]
    return local


def _column_of(ref: str) -> int:
    letters = ref.rstrip(_DIGITS)
    index = _COLUMNS.get(letters)
    if index is None:
        index = _COLUMNS[letters] = _column_index(letters)
    return index


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n - 1


class XlsxReader:
    def __init__(self, fh: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(fh)
        self.names = {i.filename: i.filename for i in self.zip.infolist()}
        self.lower = {name.lower(): name for name in self.names}
        self.sheets = self._sheets()
        self._strings: list[str] | None = None
        self._date_styles: frozenset[int] | None = None

    def close(self) -> None:
        self.zip.close()

    def _open(self, path: str) -> IO[bytes] | None:
        name = self.lower.get(path.lstrip("/").lower())
        return self.zip.open(name) if name else None

    def _sheets(self) -> dict[str, str]:
        rels: dict[str, str] = {}
        fh = self._open("xl/_rels/workbook.xml.rels")
        if fh is not None:
            with fh:
                for _event, el in iterparse(fh):
                    if _local(el.tag) == "Relationship":
                        target = el.get("Target", "")
                        path = (
                            target.lstrip("/")
                            if target.startswith("/")
                            else posixpath.normpath(posixpath.join("xl", target))
                        )
                        rels[el.get("Id", "")] = path
        out: dict[str, str] = {}
        fh = self._open("xl/workbook.xml")
        if fh is None:
            raise ValueError("no workbook part")
        with fh:
            for _event, el in iterparse(fh):
                if _local(el.tag) == "sheet":
                    rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
                    if rid in rels:
                        out[el.get("name", "")] = rels[rid]
        return out

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            fh = self._open("xl/sharedStrings.xml")
            if fh is not None:
                with fh:
                    for _event, el in iterparse(fh):
                        if _local(el.tag) == "si":
                            self._strings.append(_text_of(el))
                            el.clear()
        return self._strings

    @property
    def date_styles(self) -> frozenset[int]:
        if self._date_styles is None:
            custom: dict[int, str] = {}
            xfs: list[int] = []
            fh = self._open("xl/styles.xml")
            if fh is not None:
                with fh:
                    in_cell_xfs = False
                    for event, el in iterparse(fh, events=("start", "end")):
                        tag = _local(el.tag)
                        if tag == "cellXfs":
                            in_cell_xfs = event == "start"
                        elif event == "end" and tag == "numFmt":
                            custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
                        elif event == "end" and tag == "xf" and in_cell_xfs:
                            xfs.append(int(el.get("numFmtId", "0")))
            dates = set()
            for index, fmt_id in enumerate(xfs):
                code = custom.get(fmt_id)
                if code is not None:
                    bare = _QUOTED.sub("", code).lower()
                    if any(ch in bare for ch in "ymdhs") and "general" not in bare:
                        dates.add(index)
                elif fmt_id in _DATE_FORMAT_IDS:
                    dates.add(index)
            self._date_styles = frozenset(dates)
        return self._date_styles

    def rows(self, sheet: str) -> Iterator[tuple[int, list[Any]]]:
        """(Excel row number, cell values by column index; None for empty cells)."""
        fh = self._open(self.sheets[sheet])
        if fh is None:
            return
        strings, dates = self.strings, self.date_styles
        with fh:
            rownum = 0
            locals_ = _LOCALS
            for _event, el in iterparse(fh):
                if (locals_.get(el.tag) or _local(el.tag)) != "row":
                    continue
                rownum = int(el.get("r") or rownum + 1)
                values: list[Any] = []
                for c in el:
                    if (locals_.get(c.tag) or _local(c.tag)) != "c":
                        continue
                    ref = c.get("r")
                    index = _column_of(ref) if ref else len(values)
                    while len(values) < index:
                        values.append(None)
                    values.append(_cell_value(c, strings, dates))
                el.clear()
                yield rownum, values


def _text_of(el: Any) -> str:
    """Text of an <si> or <is>: its <t> runs, without phonetic (<rPh>) runs."""
    parts: list[str] = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _cell_value(c: Any, strings: list[str], dates: frozenset[int]) -> Any:
    kind = c.get("t", "n")
    raw: str | None = None
    inline: Any = None
    formula = False
    text = ""
    for child in c:
        tag = _local(child.tag)
        if tag == "v":
            raw = child.text
        elif tag == "f":
            formula = True
            text = child.text or ""
        elif tag == "is":
            inline = child
    if formula:
        return Formula("=" + text)
    if kind == "inlineStr":
        return _text_of(inline) if inline is not None else None
    if raw is None:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw.strip() == "1"
    if kind == "d":
        try:
            return datetime.datetime.fromisoformat(raw)
        except ValueError:
            return raw
    number = float(raw)
    if int(c.get("s", "0")) in dates and 0 <= number < 2958466:
        return _EPOCH + datetime.timedelta(days=number)
    return (
        int(number) if number.is_integer() and "." not in raw and "E" not in raw.upper() else number
    )

"""File checks before parsing, then reading the rows.

Checked by content, not by name: an old .xls (OLE2) is refused with a clear message, an
.xlsx must be a zip holding a workbook, macro-enabled workbooks are refused, and the declared
uncompressed size is capped before anything is inflated (zip bombs). Python's zipfile never
inflates an entry beyond its declared size, so the declared sizes bound the real work.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import asdict, dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from qnwmh.collectives.importing.columns import (
    COLLECTIVES_SHEET,
    MEMBERS_SHEET,
    SHEETS,
    Column,
    is_example,
)
from qnwmh.collectives.importing.xlsx_reader import Formula, XlsxReader

__all__ = ["FileRejected", "Formula", "Problem", "Row", "Sheets", "read_rows"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024


def limit(name: str) -> int:
    defaults = {
        "IMPORT_MAX_UPLOAD_BYTES": 30 * MB,
        "IMPORT_MAX_UNCOMPRESSED_BYTES": 300 * MB,
        "IMPORT_MAX_ZIP_ENTRIES": 500,
        "IMPORT_MAX_COLLECTIVES": 20_000,
        "IMPORT_MAX_MEMBERS": 200_000,
        "IMPORT_MAX_ERRORS": 500,
    }
    return int(getattr(settings, name, defaults[name]))


@dataclass(frozen=True)
class Problem:
    """One error: sheet name, Excel row number (None for the file or sheet as a whole),
    column header ("" when not about one column) and the message."""

    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class FileRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Row = tuple[int, dict[str, Any]]


@dataclass
class Sheets:
    rows: dict[str, list[Row]]
    problems: list[Problem]
    kind: str  # "xlsx" | "csv"


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check_file(data_head: bytes, size: int, filename: str) -> str:
    """Refuse what must not be parsed; return the kind ("xlsx" or "csv")."""
    ext = _extension(filename)
    if size == 0:
        raise FileRejected(_("文件为空。"))
    if size > limit("IMPORT_MAX_UPLOAD_BYTES"):
        raise FileRejected(
            _("文件超过 %(mb)s MB 的上限。") % {"mb": limit("IMPORT_MAX_UPLOAD_BYTES") // MB}
        )
    if data_head.startswith(OLE2_MAGIC) or ext in ("xls", "xlt"):
        raise FileRejected(
            _("这是旧版 Excel（.xls）文件，平台不支持。请在 Excel 中“另存为”.xlsx 格式后再导入。")
        )
    if ext in ("xlsm", "xltm", "xlam", "xlsb"):
        raise FileRejected(
            _("不接受含宏或二进制格式的工作簿（.xlsm、.xlsb 等），请另存为 .xlsx 后再导入。")
        )
    if ext == "csv":
        if data_head.startswith(ZIP_MAGIC) or b"\x00" in data_head:
            raise FileRejected(_("文件扩展名是 .csv，但内容不是文本。"))
        return "csv"
    if ext != "xlsx":
        raise FileRejected(_("只支持 .xlsx 和 .csv 文件。"))
    if not data_head.startswith(ZIP_MAGIC):
        raise FileRejected(_("文件内容不是有效的 .xlsx 工作簿。"))
    return "xlsx"


def _check_zip(fh: IO[bytes]) -> None:
    try:
        archive = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(_("文件内容不是有效的 .xlsx 工作簿（无法作为压缩包打开）。")) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limit("IMPORT_MAX_ZIP_ENTRIES"):
            raise FileRejected(_("工作簿内部文件过多，疑似异常文件。"))
        names = {i.filename.lower() for i in infos}
        if any(n.endswith("vbaproject.bin") for n in names):
            raise FileRejected(_("工作簿含有宏，平台不接受含宏的文件。请删除宏并另存为 .xlsx。"))
        total = sum(i.file_size for i in infos)
        if total > limit("IMPORT_MAX_UNCOMPRESSED_BYTES"):
            raise FileRejected(
                _("工作簿解压后超过 %(mb)s MB，疑似压缩炸弹，已拒绝。")
                % {"mb": limit("IMPORT_MAX_UNCOMPRESSED_BYTES") // MB}
            )
        if "xl/workbook.xml" not in names or "[content_types].xml" not in names:
            raise FileRejected(_("文件内容不是有效的 .xlsx 工作簿。"))
        content_types = archive.read("[Content_Types].xml")
        if b"macroEnabled" in content_types:
            raise FileRejected(_("工作簿含有宏，平台不接受含宏的文件。请删除宏并另存为 .xlsx。"))
    fh.seek(0)


def _header_map(
    sheet: str, headers: list[Any], columns: tuple[Column, ...], problems: list[Problem]
) -> dict[int, str]:
    by_header = {c.header: c for c in columns}
    found: dict[int, str] = {}
    seen: set[str] = set()
    for index, raw in enumerate(headers):
        text = str(raw).strip().rstrip("*＊").strip() if raw is not None else ""
        column = by_header.get(text)
        if column is None:
            continue  # extra columns (e.g. from an export) are ignored
        if column.key in seen:
            problems.append(Problem(sheet, 1, text, _("列“%(col)s”重复出现。") % {"col": text}))
            continue
        seen.add(column.key)
        found[index] = column.key
    for column in columns:
        if column.required and column.key not in seen:
            problems.append(
                Problem(
                    sheet, 1, column.header, _("缺少必填列“%(col)s”。") % {"col": column.header}
                )
            )
    return found


def _max_rows(sheet: str) -> int:
    return (
        limit("IMPORT_MAX_COLLECTIVES")
        if sheet == COLLECTIVES_SHEET
        else limit("IMPORT_MAX_MEMBERS")
    )


def _too_many(sheet: str) -> Problem:
    return Problem(
        sheet,
        None,
        "",
        _("“%(sheet)s”表超过 %(n)s 行的上限，请分批导入。")
        % {"sheet": sheet, "n": _max_rows(sheet)},
    )


def _read_xlsx(fh: IO[bytes]) -> Sheets:
    _check_zip(fh)
    try:
        reader = XlsxReader(fh)
    except Exception:  # a damaged part: bad XML, missing relationship, ...
        raise FileRejected(_("无法读取该 .xlsx 工作簿，文件可能已损坏。")) from None
    rows: dict[str, list[Row]] = {}
    problems: list[Problem] = []
    try:
        present = [name for name in SHEETS if name in reader.sheets]
        if not present:
            raise FileRejected(
                _("工作簿中没有名为“%(a)s”或“%(b)s”的工作表，请使用平台提供的模板。")
                % {"a": COLLECTIVES_SHEET, "b": MEMBERS_SHEET}
            )
        for sheet in present:
            it = reader.rows(sheet)
            first = next(it, None)
            header = first[1] if first is not None else []
            mapping = _header_map(sheet, header, SHEETS[sheet], problems)
            out: list[Row] = []
            cap = _max_rows(sheet)
            for rownum, cells in it:
                values: dict[str, Any] = {}
                for index, key in mapping.items():
                    if index >= len(cells):
                        continue
                    value = cells[index]
                    if value is None or (isinstance(value, str) and not value.strip()):
                        continue
                    values[key] = value
                if not values or is_example(sheet, values):
                    continue  # blank, or the template's example row
                if len(out) >= cap:
                    problems.append(_too_many(sheet))
                    break
                out.append((rownum, values))
            rows[sheet] = out
    except FileRejected:
        raise
    except Exception:
        raise FileRejected(_("无法读取该 .xlsx 工作簿，文件可能已损坏。")) from None
    finally:
        reader.close()
    return Sheets(rows=rows, problems=problems, kind="xlsx")


def _read_csv(fh: IO[bytes]) -> Sheets:
    raw = fh.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRejected(_("无法识别 CSV 文件的编码，请以 UTF-8 保存。"))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    stripped = {h.strip().rstrip("*＊") for h in header}
    sheet = MEMBERS_SHEET if {"姓名", "出生日期"} <= stripped else COLLECTIVES_SHEET
    problems: list[Problem] = []
    mapping = _header_map(sheet, list(header), SHEETS[sheet], problems)
    out: list[Row] = []
    cap = _max_rows(sheet)
    try:
        for rownum, cells in enumerate(reader, start=2):
            values: dict[str, Any] = {}
            for index, key in mapping.items():
                if index < len(cells) and cells[index].strip():
                    value = cells[index]
                    values[key] = Formula(value) if value.lstrip().startswith("=") else value
            if not values or is_example(sheet, values):
                continue  # blank, or the template's example row
            if len(out) >= cap:
                problems.append(_too_many(sheet))
                break
            out.append((rownum, values))
    except csv.Error:
        raise FileRejected(_("CSV 文件格式有误，无法读取。")) from None
    return Sheets(rows={sheet: out}, problems=problems, kind="csv")


def read_rows(fh: IO[bytes], filename: str, size: int) -> Sheets:
    """Check the file, then read its rows. Raises ``FileRejected`` for a refused file."""
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    kind = check_file(head, size, filename)
    if kind == "csv":
        return _read_csv(fh)
    return _read_xlsx(fh)

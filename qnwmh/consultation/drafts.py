"""Reading a draft: text from an upload (.txt or .docx, checked by content, not by name) and
its split into sections on the draft's own headings.

Headings are the shapes league documents use: "一、指导思想" (level 1) and "（一）创建要求"
(level 2); a level-1 heading numbered "3、" (a numbering slip the seed text itself has) counts
when the line is short and has no full stop. A "（一）高度重视，加强领导。正文……" line is a
heading up to its first full stop, the rest its text. What comes before the first heading is
the introduction (level 0)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import ParseError, iterparse

from django.utils.translation import gettext as _

from qnwmh.core.errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_XML_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 200_000
MAX_SECTIONS = 300
ZIP_MAGIC = b"PK\x03\x04"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CN_NUMERALS = "一二三四五六七八九十"
LEVEL1 = re.compile(rf"^([{CN_NUMERALS}]+、)\s*(.+)$")
LEVEL1_ARABIC = re.compile(r"^(\d{1,2}、)\s*(.+)$")
LEVEL2 = re.compile(rf"^([（(][{CN_NUMERALS}]+[)）])\s*(.+)$")
# Converters leave Word's bookmarks behind as text ("[bookmark: _GoBack]").
BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
SHORT_HEADING = 30


@dataclass(frozen=True)
class ParsedSection:
    level: int
    number: str
    heading: str
    body: str


def _heading(number: str, rest: str, level: int) -> tuple[int, str, str, str]:
    head, stop, tail = rest.partition("。")
    if stop and tail.strip():
        return level, number, head + stop, tail.strip()
    return level, number, rest.strip(), ""


def _match_heading(line: str) -> tuple[int, str, str, str] | None:
    if m := LEVEL1.match(line):
        return _heading(m.group(1), m.group(2), 1)
    if m := LEVEL2.match(line):
        return _heading(m.group(1), m.group(2), 2)
    m = LEVEL1_ARABIC.match(line)
    if m and len(line) <= SHORT_HEADING and "。" not in line:
        return 1, m.group(1), m.group(2).strip(), ""
    return None


def split_sections(text: str) -> list[ParsedSection]:
    """The draft's sections in order; refused when it has no heading to split on."""
    text = BOOKMARK.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_TEXT_CHARS:
        raise DomainError(_("草案过长（超过 %(n)s 字）。") % {"n": MAX_TEXT_CHARS})
    parts: list[tuple[int, str, str, list[str]]] = [(0, "", "", [])]
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        found = _match_heading(line)
        if found:
            level, number, heading, body = found
            parts.append((level, number, heading[:200], [body] if body else []))
        else:
            parts[-1][3].append(line)
    if len(parts) == 1:
        raise DomainError(_("草案中没有找到“一、”或“（一）”形式的标题，无法分节。"))
    if len(parts) > MAX_SECTIONS:
        raise DomainError(_("草案的章节过多（超过 %(n)s 节）。") % {"n": MAX_SECTIONS})
    sections = [ParsedSection(lv, num, head, "\n".join(lines)) for lv, num, head, lines in parts]
    return sections if sections[0].body else sections[1:]


def read_upload(upload: IO[bytes], name: str = "") -> str:
    """The text of an uploaded .txt (UTF-8 or GB18030) or .docx, by its content."""
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(_("文件过大（不超过 5 MB）。"))
    if data.startswith(ZIP_MAGIC):
        return _docx_text(data)
    if b"\x00" in data[:4096]:
        raise DomainError(_("只能上传纯文本（.txt）或 Word（.docx）文件。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("无法识别文本文件的编码，请另存为 UTF-8 后再上传。"))


def _docx_text(data: bytes) -> str:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise DomainError(_("不是有效的 Word（.docx）文件。")) from None
    if any(n.endswith("vbaProject.bin") for n in archive.namelist()):
        raise DomainError(_("不接受含宏的 Word 文件。"))
    # zipfile never inflates past the declared size, so the declared size bounds the work.
    if info.file_size > MAX_DOCUMENT_XML_BYTES:
        raise DomainError(_("文件过大（不超过 5 MB）。"))
    paragraphs: list[str] = []
    current: list[str] = []
    try:
        with archive.open(info) as fh:
            for event, el in iterparse(fh, events=("start", "end")):
                if event == "end" and el.tag == f"{W}t":
                    current.append(el.text or "")
                elif event == "end" and el.tag == f"{W}tab":
                    current.append("\t")
                elif event == "end" and el.tag == f"{W}p":
                    paragraphs.append("".join(current))
                    current = []
                    el.clear()
    except ParseError:
        raise DomainError(_("不是有效的 Word（.docx）文件。")) from None
    return "\n".join(paragraphs)

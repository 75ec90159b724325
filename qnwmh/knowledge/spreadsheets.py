"""The question bank as a spreadsheet: template, export and import share one format (sheet
``题目``), so an export edited in Excel imports back. Headers are fixed Chinese text (a file
format, not interface text). A question is keyed by (category, stem): importing the same file
twice changes nothing; import never deletes, and a file with any error imports nothing.

File checks (size, old .xls, macros, zip bombs) are the collectives importer's."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.audit.services import log_action
from qnwmh.collectives.importing.files import FileRejected, Problem, check_file, limit
from qnwmh.collectives.importing.xlsx_reader import Formula, XlsxReader
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require
from qnwmh.core.xlsx import ListValidation, Sheet, list_sheet, spooled_workbook, xlsx_response
from qnwmh.knowledge import services
from qnwmh.knowledge.models import Category, Question, QuestionKind
from qnwmh.knowledge.selectors import BankFilters, bank

SHEET = "题目"
NOTES_SHEET = "说明"
OPTIONS_SHEET = "选项"
EXAMPLE_MARK = "【示例】"
LETTERS = "ABCDEF"
MAX_ROWS = 5000

HEADERS = [
    "类别",
    "题型",
    "题干",
    *[f"选项{c}" for c in LETTERS],
    "正确答案",
    "依据条款",
    "解析",
    "状态",
]
REQUIRED = {"类别", "题型", "题干", "正确答案", "依据条款"}
KIND_WORDS = {"单选题": "single", "多选题": "multiple", "判断题": "true_false"}
ACTIVE_WORDS = {"启用": True, "停用": False}


def _kind_word(kind: str) -> str:
    return next(word for word, value in KIND_WORDS.items() if value == kind)


def _row_of(q: Question) -> list[Any]:
    options = list(q.options.all())
    texts = [o.text for o in options[:6]] + [""] * (6 - min(len(options), 6))
    answer = "".join(LETTERS[i] for i, o in enumerate(options[:6]) if o.correct)
    status = "启用" if q.active else "停用"
    return [
        q.category.name,
        _kind_word(q.kind),
        q.stem,
        *texts,
        answer,
        q.rule_ref,
        q.explanation,
        status,
    ]


def bank_xlsx(actor: Actor, filters: BankFilters) -> HttpResponseBase:
    """The bank list's export (``?format=xlsx`` with the page's filters)."""
    size = bank(actor, filters).count()
    return inline_or_background(actor, size=size, label=_("题库"), run=bank_file, filters=filters)


def bank_file(actor: Actor, filters: BankFilters) -> FileResponse:
    require(actor, "knowledge.manage_bank")
    rows = (_row_of(q) for q in bank(actor, filters).iterator(chunk_size=500))
    return export_xlsx(
        actor,
        code="knowledge.questions.exported",
        filename="question-bank",
        sheets=[(SHEET, HEADERS, rows)],
        filters=asdict(filters),
    )


NOTES = [
    ("类别", "必填。题目类别的名称；没有的类别会新建。"),
    ("题型", "必填。单选题、多选题或判断题。"),
    ("题干", "必填。同一类别中题干相同的题目视为同一道题，再次导入时更新它。"),
    ("选项A—F", "单选题、多选题至少两个选项。判断题可不填，默认为“正确”“错误”。"),
    ("正确答案", "必填。选项的字母，如 B；多选题写多个字母，如 ACD。"),
    ("依据条款", "必填。题目所依据的文件和条款，如：中山市实施意见 三、（二）。"),
    ("解析", "选填。"),
    ("状态", "选填。启用或停用，留空为启用。"),
    ("示例行", "题干以【示例】开头的行导入时忽略。"),
]


def template(actor: Actor) -> FileResponse:
    require(actor, "knowledge.manage_bank")
    categories = [c.name for c in Category.objects.filter(active=True)]
    options, (category_range, kind_range, status_range) = list_sheet(
        OPTIONS_SHEET,
        [("类别", categories), ("题型", list(KIND_WORDS)), ("状态", list(ACTIVE_WORDS))],
    )
    example = [
        categories[0] if categories else "创建周期",
        "单选题",
        f"{EXAMPLE_MARK}青年文明号的创建周期是几年？",
        "一年",
        "两年",
        "三年",
        "",
        "",
        "",
        "B",
        "中山市实施意见",
        "",
        "启用",
    ]
    validations = [
        ListValidation(HEADERS.index("类别"), category_range),
        ListValidation(HEADERS.index("题型"), kind_range, strict=True),
        ListValidation(HEADERS.index("状态"), status_range, strict=True),
    ]
    fh, _counts = spooled_workbook(
        [
            Sheet(SHEET, HEADERS, [example], [v for v in validations if v.source]),
            Sheet(NOTES_SHEET, ["列", "说明"], NOTES),
            options,
        ]
    )
    return xlsx_response(fh, "question-bank-template.xlsx")


# Import --------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_categories: list[str] = field(default_factory=list)
    applied: bool = False


@dataclass(frozen=True)
class QuestionRow:
    row: int
    category: str
    kind: str
    stem: str
    options: list[tuple[str, bool]]
    rule_ref: str
    explanation: str
    active: bool


def _check_zip(fh: IO[bytes]) -> None:
    """Refuse a zip whose declared contents are too large before reading (zip bombs)."""
    try:
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            if len(infos) > limit("IMPORT_MAX_ZIP_ENTRIES") or sum(
                i.file_size for i in infos
            ) > limit("IMPORT_MAX_UNCOMPRESSED_BYTES"):
                raise FileRejected(_("工作簿解压后过大，疑似异常文件，已拒绝。"))
            if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
                raise FileRejected(_("工作簿含有宏，平台不接受含宏的文件。"))
    except zipfile.BadZipFile:
        raise FileRejected(_("文件内容不是有效的 .xlsx 工作簿。")) from None
    fh.seek(0)


def read(upload: UploadedFile) -> Iterator[tuple[int, dict[str, Any]]]:
    fh: Any = upload.file
    fh.seek(0)
    if check_file(fh.read(8), upload.size or 0, upload.name or "") != "xlsx":
        raise FileRejected(_("题库只能从 .xlsx 工作簿导入。"))
    fh.seek(0)
    _check_zip(fh)
    try:
        reader = XlsxReader(fh)
    except Exception:
        raise FileRejected(_("无法读取该 .xlsx 工作簿，文件可能已损坏。")) from None
    try:
        if SHEET not in reader.sheets:
            raise FileRejected(_("工作簿中没有名为“题目”的工作表，请使用平台提供的模板。"))
        rows = reader.rows(SHEET)
        first = next(rows, None)
        header = [
            str(h).strip().rstrip("*") if h is not None else "" for h in (first[1] if first else [])
        ]
        missing = [h for h in HEADERS if h in REQUIRED and h not in header]
        if missing:
            raise FileRejected(_("缺少必填列：%(cols)s。") % {"cols": "、".join(missing)})
        for rownum, cells in rows:
            values = {h: cells[i] for i, h in enumerate(header) if h in HEADERS and i < len(cells)}
            values = {k: v for k, v in values.items() if v is not None and str(v).strip()}
            if values:
                yield rownum, values
    except FileRejected:
        raise
    except Exception:
        raise FileRejected(_("无法读取该 .xlsx 工作簿，文件可能已损坏。")) from None
    finally:
        reader.close()


def _parse(rownum: int, values: dict[str, Any], problems: list[Problem]) -> QuestionRow | None:
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(Problem(SHEET, rownum, column, message))

    for column, value in values.items():
        if isinstance(value, Formula):
            bad(column, _("不接受公式，请填写数值或文字。"))
    text = {k: str(v).strip() for k, v in values.items()}
    for column in HEADERS:
        if column in REQUIRED and not text.get(column):
            bad(column, _("必填。"))
    kind = KIND_WORDS.get(text.get("题型", ""))
    if text.get("题型") and kind is None:
        bad("题型", _("应为单选题、多选题或判断题。"))
    answer = text.get("正确答案", "").upper().replace(" ", "").replace(",", "").replace("，", "")
    if answer and any(c not in LETTERS for c in answer):
        bad("正确答案", _("应为选项字母，如 B 或 ACD。"))
    active = ACTIVE_WORDS.get(text.get("状态", "启用"))
    if active is None:
        bad("状态", _("应为启用或停用。"))
    for column, limit_ in (("类别", 50), ("依据条款", 200), ("题干", 2000), ("解析", 2000)):
        if len(text.get(column, "")) > limit_:
            bad(column, _("超过 %(n)s 个字。") % {"n": limit_})
    options = [(text.get(f"选项{c}", ""), c in answer) for c in LETTERS]
    for c, (option, _ok) in zip(LETTERS, options, strict=True):
        if len(option) > 300:
            bad(f"选项{c}", _("超过 %(n)s 个字。") % {"n": 300})
        if c in answer and not option and kind != QuestionKind.TRUE_FALSE:
            bad("正确答案", _("选项 %(letter)s 是空的。") % {"letter": c})
    if kind == QuestionKind.TRUE_FALSE and not any(o for o, _ok in options):
        options = services.true_false_options("A" in answer)
    if len(problems) > before or kind is None or active is None:
        return None
    try:
        cleaned = services.check_options(kind, options)
    except DomainError as exc:
        bad("正确答案", str(exc))
        return None
    return QuestionRow(
        rownum,
        text["类别"],
        kind,
        text["题干"],
        cleaned,
        text["依据条款"],
        text.get("解析", ""),
        active,
    )


def import_questions(actor: Actor, *, upload: UploadedFile, apply: bool) -> ImportReport:
    """Check every row; with ``apply`` and no error, write them all in one transaction."""
    require(actor, "knowledge.manage_bank")
    report = ImportReport()
    parsed: list[QuestionRow] = []
    seen: dict[tuple[str, str], int] = {}
    for rownum, values in read(upload):
        if str(values.get("题干", "")).strip().startswith(EXAMPLE_MARK):
            continue
        if len(parsed) + len(report.problems) >= MAX_ROWS:
            report.problems.append(
                Problem(SHEET, None, "", _("超过 %(n)s 行的上限，请分批导入。") % {"n": MAX_ROWS})
            )
            break
        row = _parse(rownum, values, report.problems)
        if row is None:
            continue
        key = (row.category, row.stem)
        if key in seen:
            report.problems.append(
                Problem(
                    SHEET, rownum, "题干", _("与第 %(row)s 行是同一道题。") % {"row": seen[key]}
                )
            )
            continue
        seen[key] = rownum
        parsed.append(row)
    if not parsed and not report.problems:
        report.problems.append(Problem(SHEET, None, "", _("没有可导入的题目。")))
    if report.problems:
        return report
    with transaction.atomic():
        _apply(actor, parsed, report)
        if not apply or report.problems:
            transaction.set_rollback(True)
            report.applied = False
            return report
        report.applied = True
        log_action(
            actor,
            None,
            "knowledge.questions.imported",
            data={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "categories": report.new_categories,
            },
        )
    return report


def _apply(actor: Actor, rows: list[QuestionRow], report: ImportReport) -> None:
    categories = {c.name: c for c in Category.objects.all()}
    existing = {
        (q.category.name, q.stem): q
        for q in Question.objects.filter(stem__in=[r.stem for r in rows])
        .select_related("category")
        .prefetch_related("options")
    }
    for row in rows:
        category = categories.get(row.category)
        if category is None:
            category = categories[row.category] = Category.objects.create(name=row.category)
            report.new_categories.append(row.category)
        question = existing.get((row.category, row.stem))
        fields: dict[str, Any] = {
            "category": category,
            "kind": row.kind,
            "stem": row.stem,
            "rule_ref": row.rule_ref,
            "explanation": row.explanation,
            "options": row.options,
        }
        try:
            if question is None:
                question = services.question_create(actor, **fields)
                report.created += 1
            elif _same(question, row):
                report.unchanged += 1
            else:
                question = services.question_update(actor, question=question, **fields)
                report.updated += 1
            if question.active != row.active:
                services.question_set_active(actor, question=question, active=row.active)
        except DomainError as exc:
            report.problems.append(Problem(SHEET, row.row, "题干", str(exc)))


def _same(q: Question, row: QuestionRow) -> bool:
    return (
        q.kind == row.kind
        and q.rule_ref == row.rule_ref
        and q.explanation == row.explanation
        and q.active == row.active
        and [(o.text, o.correct) for o in q.options.all()] == row.options
    )

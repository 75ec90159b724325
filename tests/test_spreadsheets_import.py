"""Spreadsheet import: the template, the preview, all-or-nothing apply, idempotent
re-import, and a corpus of bad workbooks that each give located errors and write nothing."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.importing.files import read_rows
from qnwmh.collectives.importing.services import import_apply, import_upload
from qnwmh.collectives.importing.validate import build_plan
from qnwmh.collectives.models import Collective, Eligibility, ImportBatch, Member
from tests import factories as f
from tests.xlsx_builders import (
    C_HEAD,
    M_HEAD,
    collective_row,
    member_rows,
    small_valid_file,
    upload,
    workbook,
)

NAMES = ("石岐青年突击队", "石岐志愿服务队")


def _upload(
    world: Any, data: bytes, name: str = "导入.xlsx", role: str = "body_admin"
) -> ImportBatch:
    return import_upload(world.actor(role), upload=upload(data, name))


def _state() -> tuple[int, int, int]:
    return (
        Collective.objects.count(),
        Member.objects.count(),
        Member.objects.filter(is_leader=True).count(),
    )


# Template --------------------------------------------------------------------------------


def test_template_has_both_sheets_headers_and_notes(world):
    response = world.client("body_admin").get(reverse("collectives:import_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["集体", "成员", "说明", "选项"]
    assert wb["选项"].sheet_state == "hidden"  # the lists behind the drop-downs
    assert [c.value for c in wb["集体"][1]] == C_HEAD
    assert [c.value for c in wb["成员"][1]] == M_HEAD
    notes = [[c.value for c in row] for row in wb["说明"].iter_rows()]
    flat = {v for row in notes for v in row if v}
    assert world.body.name in flat and world.other_body.name not in flat  # only the actor's bodies
    assert "石岐街道" in flat and "非公企业" in flat


def test_import_page_documents_columns(world):
    page = world.client("body_admin").get(reverse("collectives:import")).content.decode()
    for header in C_HEAD + M_HEAD:
        assert header in page
    assert "匹配键" in page


# Happy path, preview, apply, idempotency ---------------------------------------------------


def test_clean_file_previews_then_applies_in_one_audited_step(world):
    before = _state()
    batch = _upload(world, small_valid_file(world.body, NAMES))
    assert batch.status == "ready", batch.errors
    assert batch.summary["counts"] == {
        "collectives_create": 2,
        "collectives_update": 0,
        "collectives_unchanged": 0,
        "members_create": 16,
        "members_update": 0,
        "members_unchanged": 0,
    }
    assert _state() == before  # the preview writes nothing but the batch
    assert batch.file.name and batch.file.size == batch.size

    page = world.client("body_admin").get(reverse("collectives:import_batch", args=[batch.code]))
    assert "石岐青年突击队" in page.content.decode() and "确认导入" in page.content.decode()

    response = world.client("body_admin").post(
        reverse("collectives:import_apply", args=[batch.code])
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.applied_at is not None
    created = Collective.objects.get(body=world.body, name="石岐青年突击队")
    assert created.member_count == 8 and created.eligibility == Eligibility.MET
    assert created.members.filter(is_leader=True).count() == 1
    assert created.town == world.town and created.ownership == "public_institution"
    entry = AuditEntry.objects.get(code="collectives.import.applied")
    assert entry.data["collectives_create"] == 2 and entry.data["members_create"] == 16
    assert AuditEntry.objects.filter(code="collectives.import.uploaded").count() == 1


def test_importing_the_same_file_twice_changes_nothing(world):
    data = small_valid_file(world.body, NAMES)
    import_apply(world.actor("body_admin"), batch=_upload(world, data))
    stamps = dict(Collective.objects.values_list("name", "updated_at"))
    members = sorted(Member.objects.values_list("id", "name", "phone", "is_leader"))
    again = _upload(world, data)
    assert again.status == "ready"
    assert again.summary["counts"] == {
        "collectives_create": 0,
        "collectives_update": 0,
        "collectives_unchanged": 2,
        "members_create": 0,
        "members_update": 0,
        "members_unchanged": 16,
    }
    import_apply(world.actor("body_admin"), batch=again)
    assert dict(Collective.objects.values_list("name", "updated_at")) == stamps
    assert sorted(Member.objects.values_list("id", "name", "phone", "is_leader")) == members


def test_changed_rows_update_by_key_and_a_new_leader_replaces_the_old(world):
    data = small_valid_file(world.body, NAMES[:1])
    import_apply(world.actor("body_admin"), batch=_upload(world, data))
    members = member_rows(world.body, NAMES[0])
    members[0][M_HEAD.index("号长")] = "否"
    members[3][M_HEAD.index("号长")] = "是"
    members[2][M_HEAD.index("岗位")] = "班组长"
    changed = workbook([collective_row(world.body, NAMES[0], 所在单位="中山市新单位")], members)
    batch = _upload(world, changed)
    counts = batch.summary["counts"]
    assert (counts["collectives_update"], counts["members_update"], counts["members_create"]) == (
        1,
        3,
        0,
    )
    assert batch.summary["collectives"][0]["changed"] == ["所在单位"]
    import_apply(world.actor("body_admin"), batch=batch)
    c = Collective.objects.get(name=NAMES[0])
    assert c.work_unit == "中山市新单位" and c.members.count() == 8
    assert list(c.members.filter(is_leader=True).values_list("name", flat=True)) == [members[3][2]]


def test_members_can_be_added_to_an_existing_collective(world):
    rows = member_rows(world.body, world.collective.name, n=2, 号长="否")
    batch = _upload(world, workbook([], rows))
    assert batch.status == "ready", batch.errors
    import_apply(world.actor("body_admin"), batch=batch)
    world.collective.refresh_from_db()
    assert world.collective.member_count == 10


def test_csv_imports_one_sheet(world):
    lines = [
        ",".join(C_HEAD),
        ",".join(str(v) for v in collective_row(world.body, "CSV导入青年服务队")),
    ]
    batch = _upload(world, "\n".join(lines).encode("utf-8-sig"), "集体.csv")
    assert batch.status == "ready", batch.errors
    import_apply(world.actor("body_admin"), batch=batch)
    assert Collective.objects.filter(name="CSV导入青年服务队").exists()
    gbk = [",".join(M_HEAD), ",".join(member_rows(world.body, "CSV导入青年服务队", n=1)[0])]
    batch = _upload(world, "\n".join(gbk).encode("gb18030"), "成员.csv")
    assert batch.status == "ready", batch.errors
    assert batch.summary["counts"]["members_create"] == 1


def test_apply_revalidates_and_writes_nothing_if_data_changed(world):
    batch = _upload(
        world, workbook([], member_rows(world.body, world.collective.name, n=1, 号长="否"))
    )
    assert batch.status == "ready"
    from qnwmh.collectives.services import collective_archive

    collective_archive(world.actor("body_admin"), collective=world.collective, reason="机构撤并")
    before = _state()
    batch = import_apply(world.actor("body_admin"), batch=batch)
    assert batch.status == "invalid" and batch.errors[0]["row"] == 2
    assert _state() == before
    with pytest.raises(Exception, match="待确认"):
        import_apply(world.actor("body_admin"), batch=batch)


# The corpus of bad workbooks -------------------------------------------------------------


def _bad_member(world: Any, **over: Any) -> bytes:
    members = member_rows(world.body, NAMES[0])
    for k, v in over.items():
        members[3][M_HEAD.index(k)] = v
    return workbook([collective_row(world.body, NAMES[0])], members)


def _bad_collective(world: Any, **over: Any) -> bytes:
    return workbook(
        [collective_row(world.body, NAMES[0]), collective_row(world.body, NAMES[1], **over)],
        member_rows(world.body, NAMES[0]),
    )


def _formula(world: Any) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(_bad_member(world)))
    wb["成员"]["D4"] = "=DATE(1995,6,1)"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip_bomb(world: Any) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as out:
            block = b"\0" * (1 << 20)
            for _ in range(40):  # 40 MB of zeros, about 40 KB compressed
                out.write(block)
    return buf.getvalue()


def _macro(world: Any) -> bytes:
    buf = io.BytesIO(small_valid_file(world.body))
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\x01VBA")
    return buf.getvalue()


def _missing_column(world: Any) -> bytes:
    head = [h for h in C_HEAD if h != "所在镇区"]
    row = collective_row(world.body, NAMES[0])
    del row[C_HEAD.index("所在镇区")]
    return workbook([row], c_head=head, sheets=("集体",))


def _big_with_one_bad_row(world: Any) -> bytes:
    names = [f"大批量导入集体{i:03d}" for i in range(50)]
    members: list[list[Any]] = []
    for name in names:
        members += member_rows(world.body, name, n=200)
    members[7775][M_HEAD.index("出生日期")] = "1990-02-30"  # Excel row 7777
    assert len(members) == 10_000
    return workbook([collective_row(world.body, n) for n in names], members)


def _unknown_collective(world: Any) -> bytes:
    return workbook([], member_rows(world.body, "不存在的集体", n=1))


def _other_bodys_collective(world: Any) -> bytes:
    # The outsider body's collective exists, but the body admin may not touch its roster.
    return workbook([], member_rows(world.other_body, world.other_collective.name, n=1))


def _duplicate_members(world: Any) -> bytes:
    members = member_rows(world.body, NAMES[0])
    members.append(list(members[2]))
    return workbook([collective_row(world.body, NAMES[0])], members)


def _wrong_types(world: Any) -> bytes:
    members = member_rows(world.body, NAMES[0])
    members[1][M_HEAD.index("出生日期")] = True
    members[2][M_HEAD.index("号长")] = 3
    return workbook([collective_row(world.body, NAMES[0])], members)


Case = tuple[str, Callable[[Any], bytes], str, list[tuple[str, int | None, str]]]
YOUNG = (timezone.localdate() - datetime.timedelta(days=365 * 10)).isoformat()
FUTURE = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
CORPUS: list[Case] = [
    ("wrong types", _wrong_types, "x.xlsx", [("成员", 3, "出生日期"), ("成员", 4, "号长")]),
    ("missing sheet", lambda w: workbook(sheets=("Sheet1",)), "x.xlsx", [("", None, "")]),
    ("missing column", _missing_column, "x.xlsx", [("集体", 1, "所在镇区")]),
    (
        "bad date",
        lambda w: _bad_member(w, 出生日期="1995-13-45"),
        "x.xlsx",
        [("成员", 5, "出生日期")],
    ),
    (
        "unreadable date",
        lambda w: _bad_member(w, 出生日期="不详"),
        "x.xlsx",
        [("成员", 5, "出生日期")],
    ),
    (
        "future birth",
        lambda w: _bad_member(w, 出生日期=FUTURE),
        "x.xlsx",
        [("成员", 5, "出生日期")],
    ),
    ("too young", lambda w: _bad_member(w, 出生日期=YOUNG), "x.xlsx", [("成员", 5, "出生日期")]),
    (
        "duplicate collectives",
        lambda w: workbook([collective_row(w.body, NAMES[0])] * 2),
        "x.xlsx",
        [("集体", 3, "集体名称")],
    ),
    ("duplicate members", _duplicate_members, "x.xlsx", [("成员", 10, "姓名")]),
    ("two leaders", lambda w: _bad_member(w, 号长="是"), "x.xlsx", [("成员", 5, "号长")]),
    (
        "unknown town",
        lambda w: _bad_collective(w, 所在镇区="火星镇"),
        "x.xlsx",
        [("集体", 3, "所在镇区")],
    ),
    (
        "town outside the body's town",
        lambda w: _bad_collective(w, 所在镇区="小榄镇"),
        "x.xlsx",
        [("集体", 3, "所在镇区")],
    ),
    (
        "unknown ownership",
        lambda w: _bad_collective(w, 单位性质="外星企业"),
        "x.xlsx",
        [("集体", 3, "单位性质")],
    ),
    (
        "bad e-mail",
        lambda w: _bad_collective(w, 监督邮箱="not-an-email"),
        "x.xlsx",
        [("集体", 3, "监督邮箱")],
    ),
    (
        "missing required value",
        lambda w: _bad_collective(w, 所在单位=""),
        "x.xlsx",
        [("集体", 3, "所在单位")],
    ),
    (
        "another body",
        lambda w: _bad_collective(w, 组织管理机构=w.other_body.name, 所在镇区="小榄镇"),
        "x.xlsx",
        [("集体", 3, "组织管理机构")],
    ),
    ("unknown collective", _unknown_collective, "x.xlsx", [("成员", 2, "集体名称")]),
    ("another body's roster", _other_bodys_collective, "x.xlsx", [("成员", 2, "组织管理机构")]),
    (
        "masked phone",
        lambda w: _bad_member(w, 手机号="138****5678"),
        "x.xlsx",
        [("成员", 5, "手机号")],
    ),
    ("name too long", lambda w: _bad_member(w, 姓名="长" * 51), "x.xlsx", [("成员", 5, "姓名")]),
    ("formula", _formula, "x.xlsx", [("成员", 4, "出生日期")]),
    ("zip bomb", _zip_bomb, "bomb.xlsx", [("", None, "")]),
    (
        "renamed .xls",
        lambda w: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "renamed.xlsx",
        [("", None, "")],
    ),
    (".xls by name", lambda w: small_valid_file(w.body), "old.xls", [("", None, "")]),
    ("macro", _macro, "macro.xlsx", [("", None, "")]),
    ("not a zip", lambda w: b"PK\x03\x04 this is not really a zip", "x.xlsx", [("", None, "")]),
    ("empty file", lambda w: b"", "empty.xlsx", [("", None, "")]),
    ("no data rows", lambda w: workbook(), "x.xlsx", [("", None, "")]),
    (
        "bad csv date",
        lambda w: "\n".join(
            [
                ",".join(M_HEAD),
                ",".join(
                    member_rows(w.body, w.collective.name, n=1, 出生日期="31/02/1990", 号长="否")[0]
                ),
            ]
        ).encode(),
        "成员.csv",
        [("成员", 2, "出生日期")],
    ),
    ("10,000 rows, one bad", _big_with_one_bad_row, "big.xlsx", [("成员", 7777, "出生日期")]),
]


@pytest.mark.parametrize("case", CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_workbook_gives_located_errors_and_writes_nothing(world, settings, case):
    label, build, filename, expected = case
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 20 * 2**20
    data = build(world)
    before = _state()
    batch = _upload(world, data, filename)
    assert batch.status == "invalid", f"{label}: accepted"
    assert batch.errors, label
    located = {(e["sheet"], e["row"], e["column"]) for e in batch.errors}
    for where in expected:
        assert where in located, f"{label}: {where} not in {batch.errors}"
    for e in batch.errors:
        assert e["message"] and not e["message"].isascii(), e  # a Chinese message for each error
    if label.startswith("10,000"):
        assert len(batch.errors) == 1
    assert _state() == before
    assert not AuditEntry.objects.filter(code="collectives.import.applied").exists()
    # The page lists every error with its sheet, row and column.
    page = world.client("body_admin").get(reverse("collectives:import_batch", args=[batch.code]))
    html = page.content.decode()
    assert page.status_code == 200 and "未导入任何内容" in html
    for e in batch.errors[:5]:
        assert e["message"] in html and (e["row"] is None or f"<td>{e['row']}</td>" in html)


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 15


def test_oversized_upload_is_refused_before_storing(world, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    response = world.client("body_admin").post(
        reverse("collectives:import"), {"file": upload(b"PK\x03\x04" + b"x" * 2000)}
    )
    assert response.status_code == 200 and "上限" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_too_many_member_rows_is_an_error(world, settings):
    settings.IMPORT_MAX_MEMBERS = 5
    batch = _upload(world, small_valid_file(world.body))
    assert batch.status == "invalid"
    assert any("上限" in e["message"] for e in batch.errors)


def test_city_admin_imports_into_any_body(world):
    data = workbook(
        [collective_row(world.other_body, "小榄青年突击队")],
        member_rows(world.other_body, "小榄青年突击队"),
    )
    batch = _upload(world, data, role="city_admin")
    assert batch.status == "ready", batch.errors
    import_apply(world.actor("city_admin"), batch=batch)
    assert Collective.objects.get(name="小榄青年突击队").body == world.other_body


# Query counts ------------------------------------------------------------------------------


def _plan_queries(world: Any, n: int) -> int:
    names = [f"计数集体{n}-{i}" for i in range(n)]
    data = small_valid_file(world.body, names)
    sheets = read_rows(io.BytesIO(data), "x.xlsx", len(data))
    with CaptureQueriesContext(connection) as ctx:
        plan, problems = build_plan(world.actor("body_admin"), sheets.rows)
    assert plan is not None and not problems
    return len(ctx.captured_queries)


def test_validation_query_count_does_not_grow_with_rows(world):
    assert _plan_queries(world, 3) == _plan_queries(world, 30)


def test_import_page_query_count_does_not_grow_with_batches(world):
    client = world.client("body_admin")
    url = reverse("collectives:import")
    _upload(world, small_valid_file(world.body))
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(5):
        _upload(world, small_valid_file(world.body))
    client.get(url)  # an import may notify, which the session's kept count then reads again
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_batches_are_scoped_to_their_uploader(world):
    batch = _upload(world, small_valid_file(world.body))
    assert (
        world.client("outsider")
        .get(reverse("collectives:import_batch", args=[batch.code]))
        .status_code
        == 404
    )
    colleague = f.actor(f.user("body2", f.Role.BODY_ADMIN, organisation=world.body))
    with pytest.raises(PermissionDenied):  # only the uploader confirms what they previewed
        import_apply(colleague, batch=batch)
    assert (
        world.client("city_admin")
        .get(reverse("collectives:import_batch", args=[batch.code]))
        .status_code
        == 200
    )


def test_an_export_imports_back_unchanged(world):
    client = world.client("body_admin")
    url = reverse("collectives:list") + "?format=xlsx"
    collectives = b"".join(client.get(url).streaming_content)
    roster = b"".join(client.get(reverse("collectives:members_export")).streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(collectives))
    members = openpyxl.load_workbook(io.BytesIO(roster))["成员"]
    target = wb.create_sheet("成员")
    for row in members.iter_rows(values_only=True):
        target.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    batch = _upload(world, buf.getvalue())
    assert batch.status == "ready", batch.errors
    counts = batch.summary["counts"]
    assert counts["collectives_unchanged"] == 1 and counts["members_unchanged"] == 8
    changes = ("collectives_create", "collectives_update", "members_create", "members_update")
    assert sum(counts[k] for k in changes) == 0


def test_streaming_reader_reads_what_excel_writes():
    from qnwmh.collectives.importing.xlsx_reader import Formula, XlsxReader

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成员"
    when = datetime.datetime(2001, 2, 3, 4, 5, 6)
    ws.append(["文字", 42, 2.5, datetime.date(1995, 6, 1), when, True, "=SUM(B1:C1)", None, "尾"])
    ws["D2"] = 13800000000
    ws["E2"].number_format = "yyyy年m月d日"
    ws["E2"] = 35000
    buf = io.BytesIO()
    wb.save(buf)
    reader = XlsxReader(io.BytesIO(buf.getvalue()))
    rows = list(reader.rows("成员"))
    assert rows[0] == (
        1,
        ["文字", 42, 2.5, datetime.datetime(1995, 6, 1), when, True, "=SUM(B1:C1)", None, "尾"],
    )
    assert isinstance(rows[0][1][6], Formula)
    assert rows[1] == (2, [None, None, None, 13800000000, datetime.datetime(1995, 10, 28)])

"""The decision's pages: the audit page with its checks and caps, deciding through the form,
the decision with its naming list (PDF, Excel), certificates (list, detail with the plaque
text, PDF, a body's batch), the public verify page for certificate numbers — with constant
query counts on the lists."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from qnwmh.awards.models import Certificate, EntryStatus
from qnwmh.awards.services import certificates as cert_services
from qnwmh.awards.services import decision as service
from qnwmh.collectives.models import TitleStatus
from qnwmh.core.actor import Role
from qnwmh.downloads.models import FileStatus, GeneratedFile
from tests import factories as f
from tests.decision_helpers import listed_ids, ready_shortlist

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def _decided(bodies=None, per_body=4):
    s = ready_shortlist(bodies or [f.body(), f.body()], per_body=per_body)
    done = service.decide(
        f.actor(s.frozen_by),
        s,
        listed_ids(s),
        document_no=f"中青联〔2026〕{s.pk}号",
        decided_on=TODAY,
    )
    return s, done


def test_audit_page_shows_checks_and_caps_and_decides_through_the_form() -> None:
    s = ready_shortlist([f.body()], per_body=6)
    blocked = s.entries.filter(status=EntryStatus.LISTED).order_by("city_position").last()
    blocked.inspection.delete()
    client = _client(s.frozen_by)
    url = reverse("awards:audit", args=[s.code])
    page = client.get(url).content.decode()
    assert "尚未考察" in page and "名额上限" in page
    ready = [i for i in listed_ids(s) if i != blocked.pk]
    response = client.post(
        url,
        {"document_no": "中青联〔2026〕5号", "decided_on": TODAY.isoformat(), "entries": ready},
    )
    assert response.status_code == 302
    assert s.entries.filter(status=EntryStatus.DECIDED).count() == 2
    response = client.post(
        url, {"document_no": "中青联〔2026〕5号", "decided_on": TODAY.isoformat(), "entries": []}
    )
    assert response.status_code == 200  # nothing ready any more: form error, nothing saved


def test_decision_page_and_naming_documents() -> None:
    s, done = _decided()
    client = _client(s.frozen_by)
    d = done.decision
    page = client.get(reverse("awards:decision", args=[d.code])).content.decode()
    assert d.document_no in page and done.certificates[0].number in page
    pdf = client.get(reverse("awards:naming_pdf", args=[d.code]))
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("awards:naming_xlsx", args=[d.code]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert {r[7] for r in rows[1:]} == {c.number for c in done.certificates}


def test_certificate_pages_scoped_to_the_body() -> None:
    b1, b2 = f.body(), f.body()
    _s, done = _decided([b1, b2])
    mine = next(c for c in done.certificates if c.title.collective.body_id == b1.pk)
    theirs = next(c for c in done.certificates if c.title.collective.body_id == b2.pk)
    admin = _client(f.user(None, Role.BODY_ADMIN, organisation=b1))
    listing = admin.get(reverse("awards:certificates")).content.decode()
    assert mine.number in listing and theirs.number not in listing
    detail = admin.get(reverse("awards:certificate", args=[mine.number])).content.decode()
    assert "牌匾文字" in detail and mine.title.collective.name in detail
    assert admin.get(reverse("awards:certificate", args=[theirs.number])).status_code == 404
    pdf = admin.get(reverse("awards:certificate_pdf", args=[mine.number]))
    assert pdf.content.startswith(b"%PDF")
    batch = admin.get(reverse("awards:body_certificates_pdf", args=[b1.code]))
    assert batch.content.startswith(b"%PDF")
    assert admin.get(reverse("awards:body_certificates_pdf", args=[b2.code])).status_code == 404


def test_certificate_list_queries_do_not_grow(django_assert_max_num_queries) -> None:
    s, _done = _decided([f.body(), f.body()], per_body=4)
    client = _client(s.frozen_by)
    url = reverse("awards:certificates")
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
    _decided([f.body(), f.body(), f.body()], per_body=8)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_audit_page_queries_do_not_grow(django_assert_max_num_queries) -> None:
    s = ready_shortlist([f.body(), f.body()], per_body=4)
    big = ready_shortlist([f.body() for _ in range(4)], per_body=10)
    client = _client(s.frozen_by)
    with django_assert_max_num_queries(16) as small:
        client.get(reverse("awards:audit", args=[s.code]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("awards:audit", args=[big.code]))


def test_verify_a_certificate_valid_superseded_ended_unknown(client) -> None:
    _s, done = _decided([f.body()], per_body=2)
    cert = done.certificates[0]
    url = reverse("public:verify_code", args=[cert.number])
    page = client.get(url)
    assert page.status_code == 200 and "证书有效" in page.content.decode()
    assert cert.title.collective.name in page.content.decode()
    # Typed from paper, spaced and in lower case: the form sends it to the same page.
    typed = client.get(
        reverse("public:verify"), {"code": cert.number.lower()[:6] + " " + cert.number[6:]}
    )
    assert typed.status_code == 302 and typed.url == url
    newer = _reissue(cert)
    page = client.get(url).content.decode()
    assert "证书已换发" in page and newer.number in page
    title = cert.title
    title.status, title.ended_on = TitleStatus.REVOKED, TODAY
    title.save()
    page = client.get(reverse("public:verify_code", args=[newer.number])).content.decode()
    assert "称号已撤销，证书失效" in page  # a revoked title's certificate says it was revoked
    wrong_check = cert.number[:-1] + ("A" if cert.number[-1] != "A" else "B")
    unknown = client.get(reverse("public:verify_code", args=[wrong_check]))
    assert unknown.status_code == 404 and "查无此证书" in unknown.content.decode()
    # A collective's code still verifies the collective.
    collective_page = client.get(reverse("public:verify_code", args=[title.collective.code]))
    assert collective_page.status_code == 200


def _reissue(cert: Certificate) -> Certificate:
    city = f.actor(f.user(None, Role.CITY_ADMIN, organisation=f.city()))
    return cert_services.issue_for_title(city, title=cert.title)


def test_a_big_batch_goes_to_the_background(settings, django_capture_on_commit_callbacks) -> None:
    settings.PDF_INLINE_ITEMS = 1
    b = f.body()
    s, _done = _decided([b], per_body=4)
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(s.frozen_by).get(reverse("awards:body_certificates_pdf", args=[b.code]))
    generated = GeneratedFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("downloads:detail", kwargs={"code": generated.code})
    assert generated.status == FileStatus.READY and generated.done == generated.total == 2

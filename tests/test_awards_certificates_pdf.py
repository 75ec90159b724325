"""The certificate PDF: A4 landscape, the collective and the number on it, and a QR code that
decodes (rendered to PNG and read by zbarimg, as a phone would) to its verify address. The
body's batch holds one page per current certificate, each with its own code."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from qnwmh.awards.certificate_numbers import check_char, is_well_formed, number_for
from qnwmh.awards.documents.certificates import certificate_pdf, render_certificates
from qnwmh.awards.services import certificates
from tests import factories as f
from tests.qr_helpers import pdf_info_and_text, qr_codes_in_pdf

pytestmark = pytest.mark.django_db
SITE = "https://qnwmh.example.cn"


def _cert(collective=None):
    title = f.title(collective or f.collective(f.body()), stars=2)
    with transaction.atomic():
        return certificates.issue(title, on=timezone.localdate())


def test_certificate_qr_decodes_to_its_verify_url() -> None:
    cert = _cert()
    pdf = certificate_pdf(cert, base_url=SITE + "/")
    assert pdf.startswith(b"%PDF")
    assert qr_codes_in_pdf(pdf) == [f"{SITE}/verify/{cert.number}/"]


def test_certificate_page_is_a4_landscape_with_the_text() -> None:
    cert = _cert()
    info, text = pdf_info_and_text(certificate_pdf(cert, base_url=SITE))
    assert info["Page size"].startswith("841.89 x 595.2")  # A4 landscape, in points
    assert info["Pages"] == "1"
    assert cert.number in text and cert.title.collective.name in text.replace("\n", "")


def test_a_batch_has_one_page_and_one_code_per_certificate() -> None:
    certs = [_cert() for _ in range(3)]
    pdf = render_certificates(certs, base_url=SITE)
    assert sorted(qr_codes_in_pdf(pdf, dpi=100)) == sorted(
        f"{SITE}/verify/{c.number}/" for c in certs
    )


def test_numbers_are_unique_well_formed_and_catch_typing_errors() -> None:
    a, b = _cert(), _cert()
    assert a.number != b.number and is_well_formed(a.number) and is_well_formed(b.number)
    n = number_for(2026, 4217)
    assert n == "ZS202604217" + check_char("202604217")
    digits = n[2:-1]
    for i in range(len(digits)):  # any one digit changed
        for d in "0123456789":
            if d != digits[i]:
                assert not is_well_formed(f"ZS{digits[:i]}{d}{digits[i + 1 :]}{n[-1]}")
    for i in range(len(digits) - 1):  # any two neighbours swapped
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            assert not is_well_formed(f"ZS{swapped}{n[-1]}")

"""Certificates as PDF. A minimal stand-in with the agreed signature, so the nomination
dossier can include the certificate; the decision part provides the full certificate (A4
landscape, CJK fonts, QR code of the verify URL) under this same name."""

from __future__ import annotations

from django.utils.html import escape

from qnwmh.awards.models import Certificate


def certificate_pdf(certificate: Certificate, *, base_url: str) -> bytes:
    """One certificate, A4 landscape, with its number and the verify URL."""
    from weasyprint import HTML

    title = certificate.title
    verify = f"{base_url.rstrip('/')}/verify/{certificate.number}/"
    html = (
        "<html lang='zh-Hans'><head><meta charset='utf-8'><style>"
        "@page { size: A4 landscape; margin: 20mm; }"
        "body { font-family: 'Noto Serif CJK SC', serif; text-align: center; }"
        "h1 { font-size: 32pt; margin-top: 30mm; }"
        "</style></head><body>"
        f"<h1>{escape(title.collective.name)}</h1>"
        f"<p>青年文明号 · {escape(title.get_level_display())} · {'★' * title.stars}</p>"
        f"<p>第{title.session_no}届 · {certificate.issued_on:%Y-%m-%d}</p>"
        f"<p>证书编号：{escape(certificate.number)}</p>"
        f"<p>{escape(verify)}</p>"
        "</body></html>"
    )
    return bytes(HTML(string=html).write_pdf())

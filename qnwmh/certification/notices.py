"""Notice kinds of certification (bell + e-mail through ``notices.notify``), registered in
``CertificationConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS = {
    "certification.sheet.reopened": _(
        "您对 %(collective)s 的评分表已被评审组组长退回重评，原因：%(reason)s"
    ),
}


def register_kinds() -> None:
    for code, template in KINDS.items():
        register(code, template)

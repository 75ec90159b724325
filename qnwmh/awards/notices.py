"""Who is told about awards, and what (bell + e-mail through ``notices.notify``), called from
the services with ``transaction.on_commit``. Registered in AwardsConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS: dict[str, Promise] = {
    # ranking
    "awards.shortlist.frozen": _("%(cycle)s拟认定名单已确定，请查看本单位的拟认定与候补集体。"),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)

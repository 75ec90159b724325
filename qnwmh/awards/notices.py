"""Who is told about awards, and what (bell + e-mail through ``notices.notify``), called from
the services with ``transaction.on_commit``. Registered in AwardsConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS: dict[str, Promise] = {
    # Nomination upward (推报).
    "awards.nomination.nominated": _(
        "%(c)s 的市级青年文明号已推报参加“%(round)s”（排序第 %(p)s）。"
    ),
    "awards.nomination.withdrawn": _("%(c)s 参加“%(round)s”的推报已撤回：%(r)s"),
    "awards.nomination.granted": _(
        "%(c)s 在“%(round)s”中获评省级青年文明号，市级称号自然保留，免于市级复核。"
    ),
    "awards.nomination.not_granted": _("%(c)s 在“%(round)s”中未获省级称号：%(r)s"),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)

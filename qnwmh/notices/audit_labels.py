"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "notices.mail.retried": _("重发邮件"),
}

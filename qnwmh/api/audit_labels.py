"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "api.token.issued": _("签发接口令牌"),
    "api.token.revoked": _("吊销接口令牌"),
}

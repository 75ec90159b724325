from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("评选认定"), "certification:rounds", "certification.view", order=25, group="cycle"),
    NavItem(
        _("我的评分"), "certification:my_sheets", "certification.score_any", order=70, group="cycle"
    ),
    NavItem(
        _("评审得分"),
        "certification:score_rounds",
        "certification.view_scores",
        order=71,
        group="cycle",
    ),
]

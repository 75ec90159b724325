from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "certification"

NAV_ITEMS = [
    NavItem(
        _("评审工作台"), "certification:review_home", "certification.review", group=G, order=10
    ),
    NavItem(_("评选认定"), "certification:rounds", "certification.view", group=G, order=20),
    NavItem(_("我的评分"), "certification:my_sheets", "certification.review", group=G, order=70),
    NavItem(
        _("评审得分"), "certification:score_rounds", "certification.view_scores", group=G, order=71
    ),
    NavItem(
        _("评审专家库"),
        "certification:reviewers",
        "certification.manage_reviewers",
        group=G,
        order=80,
    ),
    NavItem(
        _("评审片区"), "certification:areas", "certification.manage_reviewers", group=G, order=81
    ),
]

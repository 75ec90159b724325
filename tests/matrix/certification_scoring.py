"""Scoring: the world's reviewer scores through their own live assignment (others 404); the
panel secretary (the body admin here) enters paper sheets and prints them; the chair (another
reviewer) reopens; staff read score lists; city staff aggregate and run defence sessions."""

from typing import Any

from tests.matrix import LOGIN, Row, expect


def mine(w: Any) -> dict[str, str]:
    from tests.scoring_helpers import setup

    return {"code": setup(w).mine.code, "score_set": "site"}


def mine_code(w: Any) -> dict[str, str]:
    from tests.scoring_helpers import setup

    return {"code": setup(w).mine.code}


def third(w: Any) -> dict[str, str]:
    from tests.scoring_helpers import setup

    return {"code": setup(w).thirds.code, "score_set": "site"}


def panel(w: Any) -> dict[str, str]:
    from tests.scoring_helpers import setup

    return {"code": setup(w).panel.code}


def submitted(w: Any) -> dict[str, str]:
    from qnwmh.certification.services import scoring
    from tests import factories as f
    from tests.scoring_helpers import scores, setup

    s = setup(w)
    sheet = scoring.save_sheet(
        f.actor(s.third.user), assignment=s.thirds, score_set="site", scores=scores(), submit=True
    )
    return {"code": sheet.code}


def cert_round(w: Any) -> dict[str, str]:
    from tests.scoring_helpers import setup

    return {"code": setup(w).round.code}


def application(w: Any) -> dict[str, str]:
    from tests.scoring_helpers import setup

    s = setup(w)
    return {"round_code": s.round.code, "code": s.app.code}


def session(w: Any) -> dict[str, str]:
    from qnwmh.certification.services import defence
    from tests.scoring_helpers import setup

    s = setup(w)
    import datetime

    from django.utils import timezone

    made = defence.create_session(
        w.actor("city_admin"),
        panel=s.panel,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        venue="市青年活动中心",
    )
    return {"code": made.code}


OWN = expect(404, anonymous=LOGIN, reviewer=200)
SECRETARY = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200)
STAFF = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
CITY = expect(403, anonymous=LOGIN, city_admin=200)

ROWS = [
    Row(
        "certification:my_sheets",
        expect(403, anonymous=LOGIN, reviewer=200),
        permission="certification.review",
    ),
    Row("certification:sheet", OWN, kwargs=mine, permission="certification.score"),
    Row(
        "certification:sheet",
        expect(404, anonymous=LOGIN, reviewer=302),
        kwargs=mine,
        method="post",
        data=lambda w: {"action": "save"},
        label="draft",
        permission="certification.score",
    ),
    Row(
        "certification:sheet_pdf",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, reviewer=200),
        kwargs=mine_code,
        permission="certification.print_sheet",
    ),
    Row(
        "certification:sheet_reopen",
        expect(404, anonymous=LOGIN, city_admin=302),
        kwargs=submitted,
        method="post",
        data=lambda w: {"reason": "请复核"},
        permission="certification.reopen_sheet",
    ),
    Row(
        "certification:paper_entry", SECRETARY, kwargs=third, permission="certification.enter_paper"
    ),
    Row(
        "certification:panel_sheets", SECRETARY, kwargs=panel, permission="certification.view_panel"
    ),
    Row("certification:score_rounds", STAFF, permission="certification.view_scores"),
    Row("certification:scores", STAFF, kwargs=cert_round, permission="certification.view_scores"),
    Row(
        "certification:scores_export",
        STAFF,
        kwargs=cert_round,
        permission="certification.view_scores",
    ),
    Row(
        "certification:score_detail",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404),
        kwargs=application,
        permission="certification.view_scores",
    ),
    Row(
        "certification:aggregate",
        CITY,
        kwargs=cert_round,
        method="post",
        permission="certification.aggregate",
    ),
    Row(
        "certification:defence_list",
        CITY,
        kwargs=cert_round,
        permission="certification.manage_defence",
    ),
    Row(
        "certification:defence_detail",
        SECRETARY,
        kwargs=session,
        permission="certification.view_defence",
    ),
    Row(
        "certification:defence_draw",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=403),
        kwargs=session,
        method="post",
        permission="certification.manage_defence",
    ),
]

"""What the bench loads: one small entry per page. Add a page in one line.

``path`` may hold ``{placeholders}``; each is filled once, before the run, by the resolver of
the same name in ``PARAMS`` (a function of the logged-in demo accounts' scope). ``role`` names
who is logged in: a key of ``ROLES`` (a demo account) or ``"anonymous"``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    role: str = "city_admin"
    floor: bool = False  # the framework floor every other page is compared with
    # The cheapest HTML page: the back-office layout and a form, no data. Every page is also
    # compared with it, since no HTML page can come near the JSON floor (see RESULTS.md).
    layout: bool = False


# Demo accounts (qnwmh/core/demo_context.py) the bench logs in as.
ROLES = {
    "city_admin": "city_admin",
    "body_admin": "shiqi_admin",
    # One of bench/scoring.py's pool (every reviewer there carries about the same load).
    "reviewer": "bench_reviewer_000",
}
# Roles that send ``Authorization: Bearer <token>`` (from POST /api/v1/auth/token) instead of
# a session cookie.
API_ROLES = {"api_city_admin": "city_admin"}

Q2, Q4 = quote("灯饰"), quote("客服中心")

TARGETS = [
    Target("floor", "/-/floor/", "city_admin", floor=True),
    Target("layout floor", "/accounts/password/", "city_admin", layout=True),
    Target("list", "/office/collectives/", "city_admin"),
    Target("list body admin", "/office/collectives/", "body_admin"),
    Target("list town", "/office/collectives/?town={town}", "city_admin"),
    Target("list page 40", "/office/collectives/?page=40", "city_admin"),
    Target("search 2 chars", f"/office/collectives/?q={Q2}", "city_admin"),
    Target("search 4 chars", f"/office/collectives/?q={Q4}", "city_admin"),
    Target("search 2 chars body", f"/office/collectives/?q={Q2}", "body_admin"),
    Target("detail", "/office/collectives/{collective}/", "body_admin"),
    Target("detail large roster", "/office/collectives/{big_collective}/", "city_admin"),
    # Issue 3: the public site (anonymous).
    Target("public directory", "/", "anonymous"),
    Target("public search 2 chars", f"/?q={Q2}", "anonymous"),
    Target("public search 4 chars", f"/?q={Q4}", "anonymous"),
    Target("public town+level", "/?town={town}&level=city", "anonymous"),
    Target("public page", "/c/{titled_collective}/", "anonymous"),
    Target("api list", "/api/v1/collectives", "api_city_admin"),
    # Issue 6: the oversight list (run bench/complaints.py first for 100,000 complaints).
    Target("complaints city", "/office/supervision/", "city_admin"),
    Target("complaints body", "/office/supervision/", "body_admin"),
    # Issue 5: creation logs and compliance (run bench/creation.py first for 30 M entries).
    Target("creation list", "/office/creation/", "body_admin"),
    Target("creation log", "/office/creation/c/{creating_collective}/", "body_admin"),
    Target("creation log kind", "/office/creation/c/{creating_collective}/?kind=open_week"),
    Target("compliance one", "/office/creation/c/{creating_collective}/compliance/", "body_admin"),
    Target("compliance body", "/office/creation/compliance/", "body_admin"),
    Target("compliance city", "/office/creation/compliance/", "city_admin"),
    Target("compliance of a body", "/office/creation/compliance/bodies/{body}/", "city_admin"),
    Target("api log", "/api/v1/creation/{creating_collective}/entries", "api_city_admin"),
    Target("api compliance", "/api/v1/creation/compliance", "api_city_admin"),
    # Issue 15: every key page not covered above, each stage's API, on generate.py's data
    # (1,000,000 collectives: titles, registrations, 30 M log entries, complaints, ratings)
    # and the demo's oversight records.
    Target("office home", "/office/", "city_admin"),
    Target("office home body", "/office/", "body_admin"),
    Target("notices", "/office/notices/", "city_admin"),
    Target("notices body", "/office/notices/", "body_admin"),
    Target("cycle", "/office/cycles/{cycle}/", "city_admin"),
    Target("registrations city", "/office/cycles/{cycle}/registrations/", "city_admin"),
    Target("registrations body", "/office/cycles/{cycle}/registrations/", "body_admin"),
    Target("oversight reviews", "/office/oversight/reviews/", "city_admin"),
    Target("oversight progress", "/office/oversight/reviews/{review}/", "city_admin"),
    Target("oversight cases", "/office/oversight/reviews/{review}/cases/", "city_admin"),
    Target("oversight cases body", "/office/oversight/reviews/{review}/cases/", "body_admin"),
    Target("oversight visits", "/office/oversight/visits/", "city_admin"),
    Target("oversight sanctions", "/office/oversight/sanctions/", "city_admin"),
    Target("public page large", "/c/{big_titled_collective}/", "anonymous"),
    Target("verify form", "/verify/", "anonymous"),
    Target("verify code", "/verify/{titled_collective}/", "anonymous"),
    Target("public revocations", "/revocations/", "anonymous"),
    Target("public revocations year", "/revocations/{revocation_year}/", "anonymous"),
    Target("public notices", "/notices/", "anonymous"),
    Target("public open weeks", "/open-weeks/", "anonymous"),
    Target("api collective", "/api/v1/collectives/{collective}", "api_city_admin"),
    Target("api members", "/api/v1/collectives/{big_collective}/members", "api_city_admin"),
    Target("api titles", "/api/v1/titles", "api_city_admin"),
    Target("api public list", "/api/v1/public/collectives", "anonymous"),
    Target("api public one", "/api/v1/public/collectives/{titled_collective}", "anonymous"),
    Target("api registrations", "/api/v1/cycles/{cycle}/registrations", "api_city_admin"),
    Target("api complaints", "/api/v1/supervision/staff/requests", "api_city_admin"),
    Target(
        "api compliance one", "/api/v1/creation/{creating_collective}/compliance", "api_city_admin"
    ),
    Target(
        "api applications",
        "/api/v1/certification/rounds/{cert_round}/applications",
        "api_city_admin",
    ),
    Target("api award notices", "/api/v1/awards/notices", "api_city_admin"),
    Target("api review cases", "/api/v1/oversight/reviews/{review}/cases", "api_city_admin"),
    Target("api visits", "/api/v1/oversight/visits", "api_city_admin"),
    Target("api revocations", "/api/v1/oversight/revocations", "api_city_admin"),
    # Issue 12, on bench/scoring.py's round (5,000 applications × 5 reviewers).
    Target("review workspace", "/office/certification/review/", "reviewer"),
    Target("reviewer's sheets", "/office/certification/scoring/", "reviewer"),
    Target("scores city", "/office/certification/scores/{cert_round}/", "city_admin"),
    Target("applications city", "/office/certification/rounds/{cert_round}/applications/"),
    # Issue 13, on bench/awards_ranking.py's closed round (5,000 applications).
    # Issues 16 and 17: the network around the titles, the dashboards.
    Target("dashboard city", "/office/dashboards/", "city_admin"),
    Target("dashboard body", "/office/dashboards/", "body_admin"),
    Target("api dashboard", "/api/v1/dashboards/figures", "api_city_admin"),
    Target("training sessions", "/office/training/", "city_admin"),
    Target("training coverage", "/office/training/coverage/", "body_admin"),
    Target("exchange events", "/office/exchange/", "body_admin"),
    Target("joint creations", "/office/partnerships/joints/", "city_admin"),
    Target("consultations", "/office/consultation/", "body_admin"),
    Target("public stories", "/stories/", "anonymous"),
    Target("ranking city", "/office/awards/ranking/{ranking_round}/", "city_admin"),
    Target(
        "what-if city",
        "/office/awards/ranking/{ranking_round}/what-if/?league_pct=30&appraisal_pct=0",
        "city_admin",
    ),
]


def _town() -> str:
    from qnwmh.orgs.models import Town

    return str(Town.objects.get(name="小榄镇").pk)


def _admin_body():  # type: ignore[no-untyped-def]
    from qnwmh.access.models import RoleAssignment
    from qnwmh.orgs.models import Organisation

    return Organisation.objects.get(
        pk=RoleAssignment.objects.filter(user__username=ROLES["body_admin"]).values_list(
            "organisation_id", flat=True
        )[0]
    )


def _body_collectives():  # type: ignore[no-untyped-def]
    from qnwmh.collectives.models import Collective

    return Collective.objects.filter(body=_admin_body())


def _body() -> str:
    return str(_admin_body().code)


def _collective() -> str:
    """A body-admin collective with a typical roster (the median size)."""
    qs = _body_collectives().order_by("member_count", "id")
    return str(qs[qs.count() // 2].code)


def _big_collective() -> str:
    """The largest roster in the database."""
    from qnwmh.collectives.models import Collective

    return str(Collective.objects.order_by("-member_count", "id").values_list("code", flat=True)[0])


def _titled_collective() -> str:
    """A body-admin collective with a title (only those have a public page)."""
    return str(
        _body_collectives()
        .filter(titles__isnull=False)
        .order_by("member_count", "id")
        .values_list("code", flat=True)[0]
    )


def _creating_collective() -> str:
    """A titled body-admin collective with the median number of log entries this cycle."""
    from django.db.models import Count, Q

    from qnwmh.creation.selectors import current_cycle

    cycle = current_cycle()
    qs = (
        _body_collectives()
        .filter(titles__status="active")
        .annotate(n=Count("log_entries", filter=Q(log_entries__cycle=cycle)))
        .filter(n__gt=0)
        .order_by("n", "id")
    )
    return str(qs[qs.count() // 2].code)


def _cert_round() -> str:
    """The round with the most applications (bench/scoring.py's, beside the demo's)."""
    from django.db.models import Count

    from qnwmh.certification.models import CertificationRound

    rounds = CertificationRound.objects.annotate(n=Count("applications")).order_by("-n")
    return str(rounds.values_list("code", flat=True)[0])


def _ranking_round() -> str:
    """bench/awards_ranking.py's closed round (session 9100)."""
    from qnwmh.certification.models import CertificationRound

    return str(CertificationRound.objects.get(cycle__session_no=9100).code)


def _big_titled_collective() -> str:
    """The largest roster among collectives with an active title (a long public page)."""
    from qnwmh.collectives.models import Collective

    return str(
        Collective.objects.filter(titles__status="active")
        .order_by("-member_count", "id")
        .values_list("code", flat=True)[0]
    )


def _cycle() -> str:
    """The current cycle (the one the registration and creation pages open on)."""
    from qnwmh.creation.selectors import current_cycle

    cycle = current_cycle()
    assert cycle is not None
    return str(cycle.code)


def _review() -> str:
    """The annual re-review with the most cases."""
    from django.db.models import Count

    from qnwmh.oversight.models import AnnualReview

    reviews = AnnualReview.objects.annotate(n=Count("cases")).order_by("-n", "-year")
    return str(reviews.values_list("code", flat=True)[0])


def _revocation_year() -> str:
    """The year with the most public revocations (the current year if there are none)."""
    import datetime

    from qnwmh.oversight.selectors.exits import revocation_years

    years = sorted(revocation_years(), key=lambda yn: (-yn[1], -yn[0]))
    return str(years[0][0] if years else datetime.date.today().year)


PARAMS: dict[str, Callable[[], str]] = {
    "town": _town,
    "collective": _collective,
    "big_collective": _big_collective,
    "titled_collective": _titled_collective,
    "big_titled_collective": _big_titled_collective,
    "cycle": _cycle,
    "review": _review,
    "revocation_year": _revocation_year,
    "creating_collective": _creating_collective,
    "body": _body,
    "cert_round": _cert_round,
    "ranking_round": _ranking_round,
}


def resolve(targets: list[Target]) -> tuple[list[tuple[Target, str]], list[str]]:
    """Each target with its URL, and why the others cannot be loaded on this database."""
    from qnwmh.accounts.models import User

    params: dict[str, str] = {}
    ready: list[tuple[Target, str]] = []
    skipped: list[str] = []
    for t in targets:
        username = API_ROLES.get(t.role) or ROLES.get(t.role)
        if username and not User.objects.filter(username=username).exists():
            skipped.append(f"{t.name}: no account {username} (made by another bench script)")
            continue
        try:
            for name, fn in PARAMS.items():
                if "{" + name + "}" in t.path and name not in params:
                    params[name] = fn()
        except Exception as exc:  # a resolver without data (another bench script's)
            skipped.append(f"{t.name}: no data ({exc!r})")
            continue
        ready.append((t, t.path.format(**params)))
    return ready, skipped

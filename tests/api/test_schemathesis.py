"""Schemathesis against the live OpenAPI schema, authenticated as two roles: no 5xx, every
status code, content type and body as the schema says.

It runs the schemathesis CLI in a subprocess against pytest-django's live server (a real HTTP
server in this process), so it needs no browser and runs in CI with the rest of the suite.
Examples are bounded and the seed fixed so the run is reproducible and stays well under two
minutes for both roles.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from qnwmh.access.actor import actor_for
from qnwmh.access.tokens import token_issue
from qnwmh.knowledge.services import attempt_start
from tests import factories_consultation as fcons
from tests import factories_cycles as fc
from tests import knowledge_builders as kb
from tests import supervision_builders as sb

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
# Examples per operation: 10 on SQLite (./run test alone), 5 on PostgreSQL, where CI runs it
# (two minutes of a worker at 5); every operation is still tested (asserted below) with the
# same checks.
MAX_EXAMPLES = {"sqlite": 10, "postgresql": 5}
# A deeper local run: SCHEMATHESIS_PHASES=examples,coverage,fuzzing SCHEMATHESIS_MAX_EXAMPLES=50
PHASES = os.environ.get("SCHEMATHESIS_PHASES", "examples,fuzzing")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def _config(tmp_path: Path, world: Any, token_code: str) -> Path:
    """Path parameters drawn often from real objects (a collective, an open cycle with a
    registration, a complaint), so operations get past the 404."""
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    fc.quota(cycle, world.other_body, 3)
    registration = fc.registration(cycle, world.collective)
    complaint = sb.complaint(world.collective)
    consultation, comment = _consultation(world)
    exam = kb.round_exam(world)
    sitting = attempt_start(
        actor_for(world.users["manager"]),
        exam=exam,
        collective=world.collective,
        member=world.member,
    )
    exchange_events = _exchange_events(world)
    codes = [
        *exchange_events,
        world.collective.code,
        world.other_collective.code,
        world.body.code,
        world.city.code,
        cycle.code,
        complaint.code,
        exam.code,
        sitting.code,
        token_code,
        consultation.code,
    ]
    text = f"""
[dictionaries.codes]
values = {codes!r}

[dictionaries.title_codes]
values = [{world.title.code!r}]

[dictionaries.member_ids]
values = [{world.member.pk}]

[dictionaries.reg_codes]
values = [{registration.code!r}]

[dictionaries.body_ids]
values = [{world.body.pk}, {world.other_body.pk}]

[dictionaries.body_codes]
values = [{world.body.code!r}, {world.other_body.code!r}]

[dictionaries.comment_ids]
values = [{comment.pk}]

[parameters]
"path.code" = {{ dictionary = "codes", probability = 0.7 }}
"path.title_code" = {{ dictionary = "title_codes", probability = 0.7 }}
"path.member_id" = {{ dictionary = "member_ids", probability = 0.7 }}
"path.reg_code" = {{ dictionary = "reg_codes", probability = 0.7 }}
"path.body_id" = {{ dictionary = "body_ids", probability = 0.7 }}
"path.collective_code" = {{ dictionary = "codes", probability = 0.7 }}
"path.body_code" = {{ dictionary = "body_codes", probability = 0.7 }}
"path.comment_id" = {{ dictionary = "comment_ids", probability = 0.7 }}
"""
    path = tmp_path / "schemathesis.toml"
    path.write_text(text)
    return path


def _exchange_events(world: Any) -> list[str]:
    """An open exhibition inviting the world's body and a held mutual visit, so the exchange
    routes get past the 404."""
    from tests import factories_exchange as fx

    return [fx.event(world, status="open").code, fx.mutual_visit(world, status="held").code]


def _consultation(world: Any) -> tuple[Any, Any]:
    """An open consultation with one comment by the world's body."""
    from qnwmh.consultation.services import reply

    c = fcons.opened(world)
    [comment] = reply(
        actor_for(world.users["body_admin"]),
        respondent=c.respondents.get(organisation=world.body),
        comments={c.sections.first().pk: "建议补充"},
    )
    return c, comment


# Schemathesis reuses values it has seen in responses, so once it lists the tokens it revokes
# the one it is using and every later request answers 401. The revoke operation therefore runs
# in a second pass of its own, after everything else.
REVOKE = "/api/v1/auth/tokens/{code}/revoke"


def _max_examples() -> str:
    return os.environ.get("SCHEMATHESIS_MAX_EXAMPLES") or str(MAX_EXAMPLES[connection.vendor])


def _only_refused(output: str) -> dict[str, set[str]]:
    """The operations schemathesis saw answer nothing but 401, or nothing but 403."""
    found: dict[str, set[str]] = {"401": set(), "403": set()}
    pattern = r"^(401|403) [A-Za-z ]+ \(\d+ operations?\):\n((?:  - .*\n)+)"
    for status, block in re.findall(pattern, output, re.M):
        found[status] |= {line.strip()[2:] for line in block.splitlines()}
    return found


def _refused_by_the_matrix(role: str) -> set[str]:
    from tests.api.test_api_matrix import ROWS

    return {f"{r.method.upper()} /api/v1{r.path}" for r in ROWS if r.expect.get(role) == 403}


def _every_selected_operation_tested(output: str) -> bool:
    selected = re.search(r"Selected: (\d+)/\d+", output)
    tested = re.search(r"Tested: (\d+)", output)
    return bool(selected and tested and int(selected[1]) > 0 and tested[1] == selected[1])


def _run(
    live_server: Any, config: Path, token: str, tmp_path: Path, *select: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            _max_examples(),
            "--phases",
            PHASES,
            "--seed",
            "20261128",
            "--workers",
            "1",
            "--no-shrink",
            "--generation-database",
            "none",
            "--request-timeout",
            "20",
            "--report-dir",
            str(tmp_path / "report"),
            "--no-color",
            "--generation-with-security-parameters",
            "false",
            "-H",
            f"Authorization: Bearer {token}",
            *select,
        ],
        capture_output=True,
        text=True,
        timeout=max(240.0, float(os.environ.get("SCHEMATHESIS_MAX_SECONDS", "0"))),
        cwd=tmp_path,
    )


@pytest.mark.schemathesis
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["city_admin", "manager"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server: Any, world: Any, tmp_path: Path, role: str
) -> None:
    user = world.users[role]
    token, secret = token_issue(actor_for(user), user=user, name="schemathesis")
    config = _config(tmp_path, world, token.code)
    log_dir = Path(os.environ.get("SCHEMATHESIS_LOG_DIR", tmp_path))
    for label, select in (
        ("main", ("--exclude-path", REVOKE)),
        ("revoke", ("--include-path", REVOKE)),
    ):
        result = _run(live_server, config, secret, tmp_path, *select)
        output = result.stdout + result.stderr
        (log_dir / f"schemathesis-{role}-{label}.log").write_text(output)
        assert result.returncode == 0, output[-20000:]
        # It really tested something: operations ran, none failed, and authentication worked:
        # no operation answered only 401, and one answered only 403 only where the API
        # matrix refuses this role (a staff route that checks the role before its object).
        summary = output.split("SUMMARY")[-1].replace("Authentication failed", "")
        assert " passed" in output and "failed" not in summary, output[-5000:]
        assert _every_selected_operation_tested(output), output[-5000:]
        if label == "main":
            refused = _only_refused(output)
            assert refused["401"] == set(), output[-5000:]
            assert refused["403"] <= _refused_by_the_matrix(role), output[-5000:]


def test_every_api_schema_class_has_a_name_of_its_own() -> None:
    """django-ninja names an OpenAPI component after the schema's class: two classes of one
    name in two routers silently share one component, and one of them is documented wrong."""
    from collections import defaultdict

    from ninja import Schema

    import qnwmh.api.v1  # noqa: F401 - every router imported

    def subclasses(cls: type) -> list[type]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    modules: dict[str, set[str]] = defaultdict(set)
    for cls in subclasses(Schema):
        if cls.__module__.startswith("qnwmh."):
            modules[cls.__name__].add(cls.__module__)
    assert {name: m for name, m in modules.items() if len(m) > 1} == {}

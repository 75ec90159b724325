"""Settings come from the environment, are validated at start, and production mode is strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qnwmh.env import ConfigError, database_from_url, env_bool

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k3J9-x2Lq8vN0pR7sT4uW1yZ6aB5cD8eF0gH2iJ4kL6mN8oP0qR2sT"


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "QNWMH_ENV")
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "qnwmh.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.once
def test_production_refuses_a_missing_secret_key():
    result = run_django(
        ["check"], QNWMH_ENV="production", ALLOWED_HOSTS="qnwmh.example.cn", SECRET_KEY=""
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.once
def test_production_refuses_debug_on():
    result = run_django(
        ["check"],
        QNWMH_ENV="production",
        ALLOWED_HOSTS="qnwmh.example.cn",
        SECRET_KEY=GOOD_SECRET,
        DEBUG="true",
    )
    assert result.returncode != 0 and "DEBUG" in result.stderr


@pytest.mark.once
def test_production_passes_check_deploy_without_any_warning(tmp_path):
    # Its own empty data directory: the deploy checks read the accounts (demo accounts fail).
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        QNWMH_ENV="production",
        ALLOWED_HOSTS="qnwmh.example.cn",
        SECRET_KEY=GOOD_SECRET,
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.once
def test_check_deploy_fails_while_a_demo_account_opens_in_production(tmp_path):
    # The check reads the accounts' table alone; the whole schema would take seven times as long.
    assert run_django(["migrate", "accounts", "-v", "0"], DATA_DIR=str(tmp_path)).returncode == 0
    create = (
        "from qnwmh.accounts.models import User; u = User(username='city_admin'); "
        "u.set_password('Hongqi-Demo-2026'); u.save()"
    )
    made = run_django(["shell", "-v", "0", "-c", create], DATA_DIR=str(tmp_path))
    assert made.returncode == 0, made.stderr
    production = {
        "QNWMH_ENV": "production",
        "ALLOWED_HOSTS": "qnwmh.example.cn",
        "SECRET_KEY": GOOD_SECRET,
        "DATA_DIR": str(tmp_path),
    }
    result = run_django(["check", "--deploy"], **production)
    assert result.returncode != 0 and "qnwmh.E010" in result.stderr + result.stdout
    assert "city_admin" in result.stderr + result.stdout
    # Loading the demo is refused outright there.
    loaded = run_django(["load_demo"], **production)
    assert loaded.returncode != 0 and "production" in loaded.stderr


@pytest.mark.once
def test_the_embedded_database_passes_its_model_checks_without_any_warning(tmp_path):
    # Database-specific model checks (e.g. index features SQLite lacks) run only with
    # --database; `./run serve` runs them on every migrate.
    result = run_django(
        ["check", "--database", "default", "--fail-level", "WARNING"], DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.once
def test_malformed_values_stop_the_start():
    result = run_django(["check"], DEBUG="yes-please")
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_env_bool_accepts_only_true_or_false(monkeypatch):
    monkeypatch.setenv("X_FLAG", "True")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "on")
    with pytest.raises(ConfigError):
        env_bool("X_FLAG", False)


def test_database_url_parsing():
    pg = database_from_url("postgres://u:p%40ss@db.local:5433/qnwmh", sqlite_default="x")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "qnwmh",
        "u",
        "p@ss",
        "db.local",
        "5433",
    )
    assert pg["OPTIONS"] == {"options": "-c jit=off"}
    tuned = database_from_url("postgres://db/x?options=-c%20work_mem%3D64MB", sqlite_default="x")
    assert tuned["OPTIONS"] == {"options": "-c work_mem=64MB"}  # the URL's own choice wins
    lite = database_from_url("", sqlite_default="/tmp/a.sqlite3")
    assert lite["NAME"] == "/tmp/a.sqlite3"
    assert lite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with pytest.raises(ConfigError):
        database_from_url("mysql://x/y", sqlite_default="x")


def test_a_sqlite_file_database_runs_in_wal_mode_with_immediate_writers(tmp_path):
    code = (
        "from django.db import connection as c; cur = c.cursor(); "
        "cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]); "
        "cur.execute('PRAGMA busy_timeout'); print(cur.fetchone()[0]); print(c.transaction_mode)"
    )
    result = run_django(
        ["shell", "-v", "0", "-c", code], DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3"
    )
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"], result.stderr

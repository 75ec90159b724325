"""The list of files CI also runs on SQLite (``tests/embedded.py``) names files that exist: a
renamed file would otherwise leave the embedded default untested without a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.embedded import FILES

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.once
def test_every_embedded_file_exists():
    assert sorted(name for name in FILES if not (ROOT / name).is_file()) == []

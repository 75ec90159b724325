"""The repository's documentation stands alone: every link it makes points at a file inside the
repository, and the glossary names code that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]
LINK = re.compile(r"\]\(([^)#\s]+)")


@pytest.mark.once
def test_docs_link_only_to_files_in_the_repository() -> None:
    problems = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        if "../shared" in text:
            problems.append(f"{doc.name}: refers to ../shared")
        for target in LINK.findall(text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path = (doc.parent / target).resolve()
            if not path.is_relative_to(ROOT) or not path.exists():
                problems.append(f"{doc.name}: {target}")
    assert problems == []


def test_glossary_names_models_that_exist() -> None:
    from django.apps import apps

    text = (ROOT / "docs" / "GLOSSARY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z]\w*)\.([A-Z]\w+)`", text))
    models = {(m._meta.app_label, m.__name__) for m in apps.get_models()}
    missing = [f"{app}.{name}" for app, name in named if (app, name) not in models]
    # A name that is not a model must still be importable from the app (choices, helpers).
    import importlib

    for ref in list(missing):
        app, name = ref.split(".")
        module = importlib.import_module(f"qnwmh.{app}.models")
        if hasattr(module, name):
            missing.remove(ref)
    assert named and missing == []

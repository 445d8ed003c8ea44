"""Imports point inward: flows -> parsers, reports, pipeline.store -> pipeline."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_PIPELINE = {"prefect", "openpyxl", "parsers", "reports", "flows", "ofxparse",
                         "typer", "rich"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("pipeline"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_core_imports_no_orchestration_spreadsheets_or_parsers(path):
    assert not imported_modules(path) & FORBIDDEN_IN_PIPELINE


@pytest.mark.parametrize("path", python_files("pipeline", "parsers", "reports", "flows"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_store_imports_sqlalchemy(path):
    inside_store = (ROOT / "pipeline" / "store") in path.parents
    if not inside_store:
        assert not imported_modules(path) & {"sqlalchemy", "alembic"}


@pytest.mark.parametrize("path", python_files("parsers", "reports"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_parsers_and_reports_do_not_import_flows_or_each_other(path):
    own = path.relative_to(ROOT).parts[0]
    other = {"parsers", "reports"} - {own}
    assert not imported_modules(path) & ({"flows", "prefect"} | other)


def test_the_rule_itself_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import prefect\nfrom sqlalchemy import select\n")
    assert imported_modules(bad) == {"prefect", "sqlalchemy"}

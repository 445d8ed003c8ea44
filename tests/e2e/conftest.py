"""End-to-end helpers: a fresh copy of the demo inbox and an in-process CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo"


def copy_demo(inbox: Path) -> Path:
    """``sample_data/demo`` copied into ``inbox`` as it is (merged when ``inbox`` exists)."""
    shutil.copytree(DEMO, inbox, dirs_exist_ok=True)
    return inbox


@pytest.fixture
def demo_inbox(tmp_path: Path) -> Path:
    """A fresh copy of the demo inbox in ``tmp_path/inbox``."""
    return copy_demo(tmp_path / "inbox")


@pytest.fixture
def demo_copier():
    """``copy_demo(inbox)``: copy the demo inbox again (for re-runs)."""
    return copy_demo


@pytest.fixture
def cli():
    """``cli(*args)`` runs ``payrecon args...`` in-process and returns the click Result."""
    from flows.cli import app

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return invoke

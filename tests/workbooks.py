"""Comparing written workbooks by what a reader sees: every sheet's cell values."""

from __future__ import annotations

from pathlib import Path


def workbook_values(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's rows of cell values, by sheet title."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    finally:
        book.close()

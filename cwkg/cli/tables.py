"""Tables for people: columns as wide as their longest word, so that headers and IRIs are never split.

Rich wraps a cell at spaces and folds a word only when the column is narrower than the word; every
column here is at least as wide as its header and its longest word. When such a table does not fit
the terminal, the rows are printed as blocks of `column: value` lines instead, which fold cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

__all__ = ["print_table"]


def _longest_word(texts: Sequence[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=0)


def _widths(columns: Sequence[str], rows: Sequence[Sequence[str]], room: int) -> list[int] | None:
    """Column widths within `room`: each at least its header and longest word, the rest shared out; None if
    those minimums do not fit."""
    least = [max(len(name), _longest_word([row[i] for row in rows])) for i, name in enumerate(columns)]
    whole = [max([least[i], *(len(row[i]) for row in rows)]) for i in range(len(columns))]
    if sum(least) > room:
        return None
    if sum(whole) <= room:
        return whole
    spare, wanted = room - sum(least), sum(whole) - sum(least)
    return [lo + (hi - lo) * spare // wanted for lo, hi in zip(least, whole, strict=True)]


def print_table(console: Console, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print rows under `columns` as a table that fits `console`, or as one block per row if none fits.

    A column whose every cell is a number is aligned right.
    """
    widths = _widths(columns, rows, console.width - 3 * len(columns) - 1)
    if widths is not None:
        table = Table(title=title)
        for i, (name, width) in enumerate(zip(columns, widths, strict=True)):
            numbers = bool(rows) and all(re.fullmatch(r"-?[\d.,]+", row[i] or "0") for row in rows)
            table.add_column(name, width=width, overflow="fold", justify="right" if numbers else "left")
        for row in rows:
            table.add_row(*row)
        console.print(table, highlight=False, markup=False)
        return
    console.print(title, highlight=False, markup=False, soft_wrap=True)
    label = max(len(name) for name in columns)
    for row in rows:
        console.print()
        for name, value in zip(columns, row, strict=True):
            console.print(f"{name:>{label}}: {value}".rstrip(), highlight=False, markup=False, soft_wrap=True)

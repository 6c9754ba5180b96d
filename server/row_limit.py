"""The row limit, kept while a result is written straight in the format the client asked for.

Counting the rows of a result safely needs a format with one line per row (TSV, N-Triples); writing
TSV first and converting it cost 10-20% of a large answer (bench/README.md, "load"). So each results
format has a counter that sees only the bytes pyoxigraph writes, and counts what cannot occur inside a
value: TSV's lines; XML's `<result>` (a `<` in text is always escaped); in JSON, `,{"` and `[{"` (a
raw `"` never occurs inside a JSON string, so one of these is a row's start, followed by a variable's
name, or a value ending in `,{` or `[{` and its closing quote, followed by `}` or `,`). Where the bytes
cannot tell (a JSON row with no binding, `{}`, which a value may also hold; CSV, whose quoted values may
break lines), the writer raises `Unsure` and the caller writes the result again through TSV.
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox

from cwkg.server.errors import RowLimitExceeded

__all__ = ["RowCounter", "Unsure", "counter_for"]


class Unsure(Exception):
    """Raised when the rows of a result cannot be told from its bytes: write it through TSV instead."""


class Sink(Protocol):
    """Where the counted bytes go (server.spool.Spool)."""

    def write(self, data: bytes) -> int:
        """Append bytes."""
        ...


_KEEP = 8  # bytes of the last chunk kept: one fewer than the longest sign, and more


class RowCounter:
    """A binary writer as pyoxigraph calls it (write, flush) that counts rows and stops past the limit.

    Counts `signs` minus `false_signs` (byte strings), each match counted once across chunk boundaries.
    """

    signs: tuple[bytes, ...] = (b"\n",)
    false_signs: tuple[bytes, ...] = ()
    unsure_if: bytes | None = None  # bytes whose presence makes the count unsure

    def __init__(self, out: Sink, limit: int, header: int = 0) -> None:
        self.out = out
        self.limit = limit
        self.rows = -header
        self.unsure = False
        self._tail = b""

    def write(self, data: bytes) -> int:
        """Count, check and pass the bytes on."""
        tail, self._tail = self._tail, (self._tail + data)[-_KEEP:]
        self.rows += sum(_count(tail, data, s) for s in self.signs)
        self.rows -= sum(_count(tail, data, s) for s in self.false_signs)
        if self.unsure_if is not None and _count(tail, data, self.unsure_if):
            self.unsure = True
        if self.rows > self.limit:
            if self.unsure:
                raise Unsure("the rows cannot be told from the bytes")
            raise RowLimitExceeded(
                f"the result has more than {self.limit} rows, the limit of this server (CWKG_MAX_ROWS); "
                "add LIMIT and OFFSET to the query to page through it"
            )
        self.out.write(data)
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""

    def total(self) -> int:
        """The rows of the whole result, once written; Unsure when the bytes could not tell."""
        if self.unsure:
            raise Unsure("the rows cannot be told from the bytes")
        return self.rows


def _count(tail: bytes, data: bytes, sign: bytes) -> int:
    """Occurrences of `sign` that end in `data`, with the end of the last chunk before it."""
    if len(sign) == 1:
        return data.count(sign)
    return (tail[-(len(sign) - 1) :] + data).count(sign)


class _JsonRows(RowCounter):
    """SPARQL JSON results, rows counted by their starts."""

    signs = (b',{"', b'[{"')
    false_signs = (b',{"}', b',{",', b'[{"}', b'[{",')
    unsure_if = b"{}"


class _XmlRows(RowCounter):
    """SPARQL XML results: one `<result>` element per row."""

    signs = (b"<result>",)


class _CsvRows(RowCounter):
    """SPARQL CSV results: one line per row after the header, unless a value is quoted."""

    unsure_if = b'"'


_COUNTERS: dict[ox.QueryResultsFormat, tuple[type[RowCounter], int]] = {
    ox.QueryResultsFormat.TSV: (RowCounter, 1),
    ox.QueryResultsFormat.JSON: (_JsonRows, 0),
    ox.QueryResultsFormat.XML: (_XmlRows, 0),
    ox.QueryResultsFormat.CSV: (_CsvRows, 1),
}


def counter_for(fmt: ox.QueryResultsFormat, out: Sink, limit: int) -> RowCounter:
    """The counting writer for solutions written in `fmt`."""
    kind, header = _COUNTERS[fmt]
    return kind(out, limit, header)

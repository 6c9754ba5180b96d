"""Statement ids written into the fact files, so that a statement keeps its IRI when what it says is corrected.

A statement without an `id` is named by a hash of its content (cwkg.compile.content_iri): correct its
amount or date and it would get another IRI, and links to the old one would break. `cwkg pin` writes
that hash into the file as the statement's `id` (as Wikidata gives each statement a GUID when it is
made), and a test keeps data/ fully pinned. Observations need no pinning: their IRI is the cell they
fill (data set and dimension values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cwkg.compile import content_iri
from cwkg.errors import DataError
from cwkg.facts import load_fact_files
from cwkg.namespaces import ID

__all__ = ["Pin", "pin_statements", "unpinned"]

_ITEM = re.compile(
    r"^(?P<dash>\s*- )(?P<rest>[A-Za-z_][\w-]*:(?:\s.*)?)$"
)  # a block mapping item: `  - type: Funding`


@dataclass(frozen=True)
class Pin:
    """A statement that has (or needs) an id: where it is and the id."""

    file: Path
    line: int
    id: str


def unpinned(facts_dir: Path) -> list[Pin]:
    """The statements of the fact files without an `id`, each with the id its content gives it now."""
    return [
        Pin(record.file, record.line, content_iri(record).removeprefix(ID))
        for fact_file in load_fact_files(facts_dir)
        for record in fact_file.records
        if record.section == "statements" and "id" not in record.fields
    ]


def pin_statements(facts_dir: Path) -> list[Pin]:
    """Write an `id` into every statement that lacks one; the files are otherwise left as they are."""
    pins = unpinned(facts_dir)
    by_file: dict[Path, list[Pin]] = {}
    for pin in pins:
        by_file.setdefault(pin.file, []).append(pin)
    edited: dict[Path, str] = {}
    for path, file_pins in by_file.items():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for pin in sorted(file_pins, key=lambda p: p.line, reverse=True):
            match = _ITEM.match(lines[pin.line - 1].rstrip("\n"))
            if match is None:
                raise DataError(
                    f"{path}:{pin.line}: cannot pin a statement not written as `- key: value` lines; "
                    f"add `id: {pin.id}` to it by hand"
                )
            dash, rest = match["dash"], match["rest"]
            lines[pin.line - 1 : pin.line] = [f"{dash}id: {pin.id}\n", f"{' ' * len(dash)}{rest}\n"]
        edited[path] = "".join(lines)
    for path, text in edited.items():  # every file checked before any is written
        path.write_text(text, encoding="utf-8")
    return pins

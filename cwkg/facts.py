"""The curated facts of `data/facts/*.yaml`, read with the file and line of each record."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from cwkg.errors import DataError

__all__ = ["FactFile", "Record", "load_fact_files"]

SECTIONS = ("entities", "datasets", "statements", "observations")


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    """YAML with line numbers, exact decimals, dates kept as written, and no duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    out = _LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    """A YAML float as the exact decimal it was written as, never a binary float."""
    return Decimal(loader.construct_scalar(node))


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    """A YAML timestamp as its text: dates are typed by the compiler, not by YAML."""
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


@dataclass(frozen=True)
class Record:
    """One entity, dataset, statement or observation as written in a fact file."""

    section: str
    fields: dict[str, Any]
    file: Path
    line: int
    default_source: str | None

    def where(self) -> str:
        """Where a person finds this record: file, line and what it is."""
        name = self.fields.get("id") or self.fields.get("type") or self.fields.get("statistic")
        return f"{self.file}:{self.line} ({self.section[:-1] if self.section != 'entities' else 'entity'} {name})"


@dataclass(frozen=True)
class FactFile:
    """A parsed fact file."""

    path: Path
    source: str | None
    records: list[Record]


def _load_file(path: Path) -> FactFile:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {exc}") from exc
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from exc
    if doc is None:
        return FactFile(path, None, [])
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected a mapping with {', '.join(SECTIONS)}")
    unknown = set(doc) - {"source", *SECTIONS}
    if unknown:
        raise DataError(
            f"{path}: unknown top-level keys {sorted(unknown)}; expected source, {', '.join(SECTIONS)}"
        )
    source = doc.get("source")
    records: list[Record] = []
    for section in SECTIONS:
        items = doc.get(section) or []
        if not isinstance(items, list):
            raise DataError(f"{path}: `{section}` must be a list")
        for item in items:
            if not isinstance(item, _LineDict):
                raise DataError(f"{path}: each item of `{section}` must be a mapping, got {item!r}")
            records.append(Record(section, dict(item), path, item.line, source))
    return FactFile(path, source, records)


def load_fact_files(directory: Path) -> list[FactFile]:
    """Every `*.yaml` of the facts folder, in name order."""
    return [_load_file(p) for p in sorted(directory.glob("*.yaml"))]

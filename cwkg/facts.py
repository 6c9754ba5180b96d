"""The curated facts of `data/facts/*.yaml`, read with the file and line of each record.

The fact schema is written here once, as pydantic models (one per section: entities, datasets,
statements, observations): what the loader can check without the ontology (ids, labels, types,
evidence). Every problem names the file and line of its record; the compiler then checks the keys
and values against the ontology.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from cwkg.errors import DataError

__all__ = [
    "DatasetFact",
    "EntityFact",
    "Fact",
    "FactFile",
    "ObservationFact",
    "Quote",
    "Record",
    "StatementFact",
    "load_fact_files",
]

SECTIONS = ("entities", "datasets", "statements", "observations")
#: Keys whose values are names: a flow list of them must quote each name, so that a comma
#: inside a name ("Department for Digital, Culture, Media and Sport") never splits it.
NAME_KEYS = frozenset({"label", "altLabel"})


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
        if key in NAME_KEYS:
            _check_names(key, value_node)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


def _check_names(key: str, node: yaml.Node) -> None:
    """Refuse a flow list of two or more unquoted names: YAML splits `[A, B, C]` at every comma."""
    if not (isinstance(node, yaml.SequenceNode) and node.flow_style):
        return
    plain = [n for n in node.value if isinstance(n, yaml.ScalarNode) and n.style is None]
    if len(node.value) > 1 and plain:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"`{key}`: in a list written [...] YAML splits names at every comma, so quote each name "
            f'("Department for Digital, Culture, Media and Sport") or write one name per line '
            f"(unquoted here: {', '.join(repr(n.value) for n in plain)})",
            node.start_mark,
        )


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _scalar(loader: Any, node: yaml.Node) -> str:
    """A scalar as written (dates stay text, at the precision the text gives)."""
    assert isinstance(node, yaml.ScalarNode)
    return str(loader.construct_scalar(node))


def _decimal(loader: Any, node: yaml.Node) -> Decimal:
    """A number with a point as an exact decimal, never a binary float."""
    return Decimal(_scalar(loader, node))


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _scalar)


# --- the fact schema: what each section's records hold, checked before the ontology is read -------


def _listed(value: Any) -> Any:
    """A single value where a list is allowed: `type: Role` is `type: [Role]`."""
    return [value] if value is not None and not isinstance(value, list) else value


def _ids(kind: str | None) -> Callable[[str], str]:
    def check(value: str) -> str:
        prefix, slash, slug = value.partition("/")
        if not slash or not re.fullmatch(r"[a-z]+", prefix):
            raise ValueError(f"an id is kind/slug, such as org/dfe, got {value!r}")
        if kind is not None and prefix != kind:
            raise ValueError(f"an id here starts with {kind}/, got {value!r}")
        if not _SLUG.fullmatch(slug):
            raise ValueError(f"slug {slug!r} must be lowercase letters and digits joined by hyphens")
        return value

    return check


def _names(value: str) -> str:
    if not value or value.strip() != value:
        raise ValueError("must be non-empty text without surrounding spaces")
    return value


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
Listed = BeforeValidator(_listed)
Name = Annotated[str, AfterValidator(_names)]
AnyId = Annotated[str, AfterValidator(_ids(None))]


class Quote(BaseModel):
    """Evidence from a source other than the file's own: `{source: id, quote: phrase}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str
    quote: str


Evidence = Annotated[list[Annotated[str, AfterValidator(_names)] | Quote], Listed, Field(min_length=1)]


class Fact(BaseModel):
    """What every record holds: its evidence; other keys are ontology terms the compiler checks."""

    model_config = ConfigDict(extra="allow", frozen=True)
    evidence: Evidence
    note: str | None = None
    definition: str | None = None


class EntityFact(Fact):
    """A thing of the world, defined once across data/."""

    id: AnyId
    type: Annotated[list[str], Listed, Field(min_length=1)]
    label: Name
    altLabel: Annotated[list[Name], Listed] = []
    mergedFrom: Annotated[list[AnyId], Listed] = []


class DatasetFact(Fact):
    """A table of a document, with the dimensions beside statistic, period and area."""

    id: Annotated[str, AfterValidator(_ids("dataset"))]
    label: Name
    dimensions: Annotated[list[str], Listed] = []


class StatementFact(Fact):
    """A fact with its own data (a node); `id` once pinned."""

    id: Annotated[str, AfterValidator(_ids("statement"))] | None = None
    type: Annotated[list[str], Listed, Field(min_length=1)]
    mergedFrom: Annotated[list[Annotated[str, AfterValidator(_ids("statement"))]], Listed] = []
    attribute: str | None = None
    value: Any = None

    @model_validator(mode="after")
    def _attribute_statement(self) -> StatementFact:
        if "AttributeStatement" in self.type and (
            self.attribute is None or self.value is None or "about" not in (self.model_extra or {})
        ):
            raise ValueError("an AttributeStatement needs `about`, `attribute` and `value`")
        return self


class ObservationFact(Fact):
    """A figure: the cell of a data set it fills; `mergedFrom` names the cells it was stated in before a
    correction moved it (its old IRIs keep answering)."""

    statistic: str
    dataset: str | None = None
    mergedFrom: Annotated[list[Annotated[str, AfterValidator(_ids("observation"))]], Listed] = []


MODELS: dict[str, type[Fact]] = {
    "entities": EntityFact,
    "datasets": DatasetFact,
    "statements": StatementFact,
    "observations": ObservationFact,
}


#: What a record missing a key is told, where pydantic's "Field required" would not say why.
_MISSING = {
    "evidence": "has no evidence: give a phrase of at most 12 words from its source",
    "label": "needs a `label`",
    "type": "needs a `type` (an ontology class)",
    "id": "needs an `id` of the form kind/slug, such as org/dfe",
    "statistic": "needs a `statistic`",
}


def _problems(exc: ValidationError) -> list[str]:
    """Each validation error as a person reads it: the key and what is wrong."""
    out = []
    for e in exc.errors():
        key = str(e["loc"][0]) if e["loc"] else ""
        if e["type"] == "missing" and key in _MISSING:
            out.append(_MISSING[key])
        elif key == "label" and isinstance(e.get("input"), list):
            out.append("has more than one `label`; put the others in `altLabel`")
        else:
            message = str(e["msg"]).removeprefix("Value error, ")
            out.append(f"`{'.'.join(str(p) for p in e['loc'])}`: {message}" if key else message)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Record:
    """One entity, dataset, statement or observation as written in a fact file."""

    section: str
    fields: dict[str, Any]
    file: Path
    line: int
    default_source: str | None
    model: Fact

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
    problems: list[str] = []
    for section in SECTIONS:
        items = doc.get(section) or []
        if not isinstance(items, list):
            raise DataError(f"{path}: `{section}` must be a list")
        for item in items:
            if not isinstance(item, _LineDict):
                raise DataError(f"{path}: each item of `{section}` must be a mapping, got {item!r}")
            try:
                model = MODELS[section].model_validate(dict(item))
            except ValidationError as exc:
                name = item.get("id") or item.get("type") or item.get("statistic")
                what = "entity" if section == "entities" else section[:-1]
                problems.extend(f"{path}:{item.line} ({what} {name}): {p}" for p in _problems(exc))
                continue
            records.append(Record(section, dict(item), path, item.line, source, model))
    if problems:
        raise DataError(f"{len(problems)} problem(s) in {path}:\n  " + "\n  ".join(problems))
    return FactFile(path, source, records)


def load_fact_files(directory: Path) -> list[FactFile]:
    """Every `*.yaml` of the facts folder, in name order."""
    return [_load_file(p) for p in sorted(directory.glob("*.yaml"))]

"""The canned-query catalogue: `queries/canned/*.rq` with grlc-style headers, bound as RDF terms.

Header convention (grlc "decorator syntax"): lines starting `#+ ` form a YAML block before the
query, which stays valid SPARQL. Keys: `summary` (the title), `description`, `tags`, and
`examples` (parameter -> example value; a cwkg extension, since grlc's `defaults` would make a
required parameter optional). Parameters follow the BASIL convention grlc uses: `?_name_type`
is required, `?__name_type` optional; the type suffix is `iri`, `literal`, `en`, `integer`,
`decimal`, `boolean` or `date`. Values are bound as RDF terms through the store's
`substitutions` (see cwkg.store: an inline VALUES block of terms serialised by pyoxigraph),
never by pasting the raw parameter text into the query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from cwkg.errors import CwkgError, DataError, NotFound
from cwkg.literals import temporal
from cwkg.namespaces import PREFIXES, expand_reference
from cwkg.rdf import Term
from cwkg.sparql_text import bind_values
from cwkg.store import QueryResult, Store

__all__ = [
    "CannedQuery",
    "Catalogue",
    "Parameter",
    "ParameterError",
    "UnknownQuery",
    "parse_values",
    "plain",
    "plain_rows",
    "solution_rows",
]

XSD = PREFIXES["xsd"]
_PARAM = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*)_(iri|literal|en|integer|decimal|boolean|date)\b")
_TYPES = {
    "iri": "iri",
    "literal": "string",
    "en": "string",
    "integer": "integer",
    "decimal": "number",
    "boolean": "boolean",
    "date": "date",
}


class ParameterError(CwkgError):
    """Raised when a canned query's parameter is missing, unknown or of the wrong type."""


class UnknownQuery(NotFound):
    """Raised when no canned query has the name asked for."""


@dataclass(frozen=True)
class Parameter:
    """A typed parameter of a canned query."""

    name: str
    variable: str
    kind: str
    required: bool
    example: str | None

    @property
    def type(self) -> str:
        """The JSON-schema-like type name shown in catalogues."""
        return _TYPES[self.kind]

    def bind(self, raw: str) -> ox.NamedNode | ox.Literal:
        """Turn a value from a URL or command line into an RDF term, or raise ParameterError."""
        try:
            if self.kind == "iri":
                return ox.NamedNode(expand_reference(raw))
            if self.kind == "literal":
                return ox.Literal(raw)
            if self.kind == "en":
                return ox.Literal(raw, language="en")
            if self.kind == "integer":
                return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
            if self.kind == "decimal":
                return ox.Literal(format(Decimal(raw), "f"), datatype=ox.NamedNode(XSD + "decimal"))
            if self.kind == "boolean":
                if raw not in ("true", "false"):
                    raise ValueError("expected true or false")
                return ox.Literal(raw, datatype=ox.NamedNode(XSD + "boolean"))
            return temporal(raw)
        except (ValueError, InvalidOperation) as exc:
            raise ParameterError(
                f"parameter {self.name!r} expects {self.type}: {raw!r} is not valid ({exc})"
            ) from exc


@dataclass(frozen=True)
class CannedQuery:
    """One question: its metadata, parameters and SPARQL text."""

    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    sparql: str
    path: Path = field(compare=False)

    def bindings(self, values: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Check and type the given values; raise ParameterError listing what is expected."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        missing = [p.name for p in self.parameters if p.required and p.name not in values]
        if unknown or missing:
            expected = (
                ", ".join(
                    f"{p.name} ({p.type}, {'required' if p.required else 'optional'}, e.g. {p.example})"
                    for p in self.parameters
                )
                or "no parameters"
            )
            problem = "; ".join(
                ([f"unknown parameter(s) {', '.join(unknown)}"] if unknown else [])
                + ([f"missing required parameter(s) {', '.join(missing)}"] if missing else [])
            )
            raise ParameterError(f"query {self.name}: {problem}. Expected: {expected}")
        return {known[k].variable: known[k].bind(v) for k, v in values.items()}

    def text(self, values: dict[str, str]) -> str:
        """The query as it runs with these values: the file's text, with a VALUES block binding them."""
        return bind_values(self.sparql, self.bindings(values)) if values else self.sparql

    def run(self, store: Store, values: dict[str, str]) -> QueryResult:
        """Evaluate over the union of the named graphs with the values bound as RDF terms."""
        return store.query(self.sparql, union_default_graph=True, substitutions=self.bindings(values))

    def describe(self) -> dict[str, Any]:
        """The catalogue entry, as JSON-ready data."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "tags": list(self.tags),
            "parameters": [
                {"name": p.name, "type": p.type, "required": p.required, "example": p.example}
                for p in self.parameters
            ],
        }


def _parse(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] for line in text.splitlines() if line.startswith("#+ "))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: the #+ header is not valid YAML: {exc}") from exc
    for key in ("summary", "description", "tags"):
        if not meta.get(key):
            raise DataError(f"{path}: the #+ header needs `{key}`")
    unknown = set(meta) - {"summary", "description", "tags", "examples", "method"}
    if unknown:
        raise DataError(f"{path}: unknown header keys {sorted(unknown)}")
    examples = {str(k): str(v) for k, v in (meta.get("examples") or {}).items()}
    params: dict[str, Parameter] = {}
    for underscores, name, kind in _PARAM.findall(text):
        variable = f"{underscores}{name}_{kind}"
        params.setdefault(name, Parameter(name, variable, kind, underscores == "_", examples.get(name)))
    missing_examples = [n for n in params if n not in examples]
    if missing_examples:
        raise DataError(
            f"{path}: give an example for parameter(s) {', '.join(missing_examples)} under `examples`"
        )
    extra = sorted(set(examples) - set(params))
    if extra:
        raise DataError(f"{path}: examples for parameters the query does not have: {', '.join(extra)}")
    return CannedQuery(
        name=path.stem,
        title=str(meta["summary"]).strip(),
        description=" ".join(str(meta["description"]).split()),
        tags=tuple(meta["tags"]),
        parameters=tuple(params.values()),
        sparql=text,
        path=path,
    )


def parse_values(items: Sequence[str]) -> dict[str, str]:
    """Parameters given as `name=value`, each name once (a second value is an error, never a silent choice)."""
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ParameterError(f"parameter {item!r} must be name=value")
        if key in values:
            raise ParameterError(
                f"parameter {key!r} is given twice ({values[key]!r} and {value!r}); give it once"
            )
        values[key] = value
    return values


class Catalogue:
    """Every canned query, loaded once; a bad header fails loudly (grlc only warns)."""

    def __init__(self, queries: list[CannedQuery]) -> None:
        self.queries = {q.name: q for q in queries}

    @classmethod
    def load(cls, directory: Path) -> Catalogue:
        """Read every `*.rq` of a folder, in name order."""
        return cls([_parse(p) for p in sorted(directory.glob("*.rq"))])

    def get(self, name: str) -> CannedQuery:
        """The query of that name, or UnknownQuery listing the names there are."""
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(
                f"no canned query named {name!r}; there are: {', '.join(sorted(self.queries))}"
            ) from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)


_NUMERIC = {
    XSD + "integer": int,
    XSD + "int": int,
    XSD + "long": int,
    XSD + "nonNegativeInteger": int,
    XSD + "decimal": float,
    XSD + "double": float,
    XSD + "float": float,
}


def plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Any:
    """An RDF term as a plain JSON value: IRIs and text as strings, numbers and booleans as such."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value
        if kind in _NUMERIC:
            try:
                return _NUMERIC[kind](term.value)
            except ValueError:
                return term.value
        if kind == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return term.value


def solution_rows(
    result: ox.QuerySolutions, *, parameters: bool = True
) -> tuple[list[str], list[dict[str, Term]]]:
    """The variables and rows of a SELECT result, each row {variable: term} without the unbound ones;
    without the `_` parameter variables unless `parameters`. The one conversion of solutions to rows."""
    names = [v.value for v in result.variables if parameters or not v.value.startswith("_")]
    rows = []
    for solution in result:
        row: dict[str, Term] = {}
        for name in names:
            term = solution[name]
            if isinstance(term, Term):  # unbound ones left out (and quoted triples, which we never make)
                row[name] = term
        rows.append(row)
    return names, rows


def plain_rows(result: ox.QuerySolutions) -> tuple[list[str], list[dict[str, Any]]]:
    """The variables and rows of a SELECT result (no `_` parameters), one dict of plain values per solution."""
    names, rows = solution_rows(result, parameters=False)
    return names, [{n: plain(row.get(n)) for n in names} for row in rows]

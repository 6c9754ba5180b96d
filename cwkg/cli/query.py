"""`cwkg query`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import pyoxigraph as ox
import typer

from cwkg.cli.console import default_of, existing_store, fail, load_settings, out
from cwkg.cli.tables import print_table
from cwkg.errors import ConfigError, CwkgError
from cwkg.namespaces import ID, curie
from cwkg.published import ensure_store
from cwkg.queries import Catalogue, parse_values, plain, solution_rows
from cwkg.store import OxigraphStore


class QueryFormat(StrEnum):
    """What `cwkg query` prints."""

    table = "table"
    json = "json"
    sparql = "sparql"


def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A term as a person writes it (and as -p takes it): role/social-worker, cw:Role, true, 2019."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value.removeprefix(ID) if term.value.startswith(ID) else curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def query(
    name: Annotated[
        str | None, typer.Argument(help="The canned query to run; omit to list them.", show_default=False)
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as name=value, each name once.", show_default=False),
    ] = None,
    output: Annotated[
        QueryFormat,
        typer.Option("--format", help="table, json, or sparql (the query's text, with -p values bound)."),
    ] = QueryFormat.table,
    store: Annotated[
        str | None, typer.Option(help="Folder of the built store.", show_default=default_of("store"))
    ] = None,
) -> None:
    """Run a canned query from queries/canned and print its answer as a table."""
    settings = load_settings(store=store)
    try:
        catalogue = Catalogue.load(settings.queries_dir / "canned")
        if name is None:
            if output is QueryFormat.json:
                print(json.dumps([q.describe() for q in catalogue], indent=2, ensure_ascii=False))
                return
            if output is QueryFormat.sparql:
                raise ConfigError("--format sparql prints one query: name it, such as `cwkg query search`")
            listing = [
                [
                    q.name,
                    q.title,
                    ", ".join(f"{p.name}{'' if p.required else '?'}: {p.type}" for p in q.parameters),
                ]
                for q in catalogue
            ]
            print_table(out, "Canned queries", ["name", "title", "parameters"], listing)
            return
        canned = catalogue.get(name)
        values = parse_values(param or [])
        if output is QueryFormat.sparql:
            sys.stdout.write(canned.text(values))  # as it is: rich would re-wrap the comments
            return
        canned.bindings(values)  # bad usage is told before any store is opened
        if settings.project is None and store is None:
            ensure_store(settings)  # outside a project: the published graph the package carries
        result = canned.run(
            OxigraphStore(existing_store(settings, store is not None), read_only=True), values
        )
        assert isinstance(result, ox.QuerySolutions)
        names, rows = solution_rows(result, parameters=False)
    except CwkgError as exc:
        fail(exc)
    if output is QueryFormat.json:
        plain_out = [{n: plain(row.get(n)) for n in names} for row in rows]
        print(json.dumps({"query": name, "rows": plain_out}, indent=2, ensure_ascii=False))
        return
    print_table(out, canned.title, names, [[cell(row.get(n)) for n in names] for row in rows])
    out.print(f"{len(rows)} row(s)")

"""`cwkg query`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.table import Table

from cwkg.cli.console import fail, out
from cwkg.config import Settings
from cwkg.errors import CwkgError, StoreError
from cwkg.queries import Catalogue, ParameterError, plain_rows
from cwkg.store import OxigraphStore


def query(
    name: Annotated[str | None, typer.Argument(help="The canned query to run; omit to list them.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter as name=value.")
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="table, json or sparql (print the query text).")
    ] = "table",
    store: Annotated[str | None, typer.Option(help="Folder of the store.")] = None,
) -> None:
    """Run a canned query from queries/canned and print its answer as a table."""
    settings = Settings.from_options(store=store)
    try:
        catalogue = Catalogue.load(settings.queries_dir / "canned")
        if name is None:
            table = Table(title="Canned queries")
            for col in ("name", "title", "parameters"):
                table.add_column(col)
            for q in catalogue:
                params = ", ".join(f"{p.name}{'' if p.required else '?'}: {p.type}" for p in q.parameters)
                table.add_row(q.name, q.title, params)
            out.print(table)
            return
        canned = catalogue.get(name)
        if output == "sparql":
            out.print(canned.sparql, markup=False, highlight=False)
            return
        values: dict[str, str] = {}
        for item in param or []:
            key, sep, value = item.partition("=")
            if not sep:
                raise ParameterError(f"--param {item!r} must be name=value")
            values[key] = value
        path = Path(settings.store)
        if not path.exists():
            raise StoreError(f"no store at {path}: run `cwkg build` first")
        result = canned.run(OxigraphStore(path, read_only=True), values)
        assert isinstance(result, ox.QuerySolutions)
        names, rows = plain_rows(result)
    except CwkgError as exc:
        fail(exc, 2 if isinstance(exc, ParameterError) else 1)
    if output == "json":
        print(json.dumps({"query": name, "rows": rows}, indent=2, ensure_ascii=False))
        return
    table = Table(title=canned.title)
    for n in names:
        table.add_column(n, overflow="fold")
    for row in rows:
        table.add_row(*("" if row[n] is None else str(row[n]) for n in names))
    out.print(table)
    out.print(f"{len(rows)} row(s)")

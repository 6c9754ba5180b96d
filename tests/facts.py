"""Small SPARQL readers for the fact tests: figures, statements and direct triples."""

from __future__ import annotations

from decimal import Decimal

from cwkg.store import OxigraphStore
from tests.conftest import ask, select

ID = "https://w3id.org/cwkg/id/"


def figures(store: OxigraphStore, statistic: str, period: str, source: str | None = None) -> set[Decimal]:
    """The values of a statistic for a period code (e.g. 2019-09, ay2019-20), optionally from one source."""
    rows = select(
        store,
        f"""
        SELECT ?v ?src WHERE {{
          ?o a qb:Observation ; cw:statistic <https://w3id.org/cwkg/id/{statistic}> ; cw:refPeriod <https://w3id.org/cwkg/id/period/{period}> ;
             cw:obsValue ?v ; cw:statedIn ?src .
        }}""",
    )
    return {Decimal(r["v"]) for r in rows if source is None or r["src"] == ID + "source/" + source}


def values(store: OxigraphStore, statistic: str, unit: str | None = None) -> set[Decimal]:
    """Every value of a statistic (e.g. statistic/nipe-retention-rate), optionally in one unit, any period."""
    in_unit = f"; cw:unit <{ID}{unit}>" if unit else ""
    rows = select(
        store, f"SELECT ?v WHERE {{ ?o cw:statistic <{ID}{statistic}> ; cw:obsValue ?v {in_unit} }}"
    )
    return {Decimal(r["v"]) for r in rows}


def statements(store: OxigraphStore, kind: str, **fields: str) -> list[dict[str, str | None]]:
    """Statements of a kind whose fields have the given values (ids or literals); all their fields."""
    patterns = " ".join(
        f"cw:{k} {'<' + ID + v + '>' if '/' in v and not v.startswith('http') else repr(v)} ;"
        for k, v in fields.items()
    )
    rows = select(
        store,
        f"""
        SELECT ?s ?p ?o WHERE {{ ?s a cw:{kind} ; {patterns} ?p ?o . }}""",
    )
    by_statement: dict[str, dict[str, str | None]] = {}
    for r in rows:
        entry = by_statement.setdefault(r["s"], {})
        key = r["p"].rpartition("#")[2]
        entry[key] = r["o"] if key not in entry else f"{entry[key]}|{r['o']}"
    return list(by_statement.values())


def direct(store: OxigraphStore, subject: str, prop: str, obj: str) -> bool:
    """Whether the derived graph holds a direct triple."""
    return ask(
        store,
        f"ASK {{ GRAPH <https://w3id.org/cwkg/graph/derived> {{ <https://w3id.org/cwkg/id/{subject}> {prop} <https://w3id.org/cwkg/id/{obj}> }} }}",
    )

"""The questions a page answers first, in plain words: for a role what it is, what it requires, who regulates
it, how to get in and its latest figures; for an organisation, a programme and a qualification likewise.

Sections are data: a title, a question and one SELECT over the union graph per kind of resource. Facts stated
of a broader or narrower role appear on a role's page, labelled with the role they are about; the full
statements with their quoted passages follow on the page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
from fastapi import Request

from cwkg.namespaces import CW, ID, PREFIXES
from cwkg.rdf import Term
from cwkg.server.pages.queries import select
from cwkg.server.pages.values import Links
from cwkg.wording import literal_text, money

__all__ = ["Item", "Section", "summarise"]

_PREFIXES = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("cw", "skos", "rdfs", "org", "prov", "qb"))
#: The roles whose facts count on a role's page: itself, the roles under it and the roles above it.
_ROLES = "{ ?role skos:broader* $r } UNION { $r skos:broader+ ?role }"


@dataclass
class Item:
    """One answer: what it names (linked), the details that qualify it, and which role it is about."""

    text: str
    href: str | None = None
    details: list[str] = field(default_factory=list)
    about: str | None = None
    about_href: str | None = None
    status: str = "current"


@dataclass
class Section:
    """One question and its answers."""

    key: str
    title: str
    items: list[Item]
    empty: str


@dataclass(frozen=True)
class _Question:
    key: str
    title: str
    query: str
    read: Callable[[list[dict[str, Term]], Links, str], list[Item]]
    empty: str


def _v(row: dict[str, Term], name: str) -> str | None:
    term = row.get(name)
    return None if term is None else term.value


def _text(row: dict[str, Term], name: str) -> str | None:
    term = row.get(name)
    return literal_text(term) if isinstance(term, ox.Literal) else None


def _status(row: dict[str, Term]) -> str:
    if _v(row, "planned") == "true":
        return "planned"
    return "ended" if row.get("end") is not None else "current"


def _dates(row: dict[str, Term]) -> list[str]:
    out = []
    if start := _text(row, "start"):
        out.append(f"since {start}")
    if end := _text(row, "end"):
        out.append(f"until {end}")
    if _v(row, "planned") == "true":
        out.append("planned")
    return out


def _about(item: Item, row: dict[str, Term], links: Links, iri: str) -> Item:
    role = _v(row, "role")
    if role and role != iri:
        item.about, item.about_href = _v(row, "roleLabel") or role, links.href(role)
    return item


def _dedupe(items: list[Item]) -> list[Item]:
    seen: dict[tuple[str, str | None, str | None], Item] = {}
    for item in items:
        key = (item.text, item.about, item.status)
        if key in seen:
            seen[key].details = list(dict.fromkeys(seen[key].details + item.details))
        else:
            seen[key] = item
    order = {"current": 0, "planned": 1, "ended": 2}
    return sorted(seen.values(), key=lambda i: (order.get(i.status, 3), i.about or "", i.text.lower()))


def _links(name: str, label: str) -> Callable[[list[dict[str, Term]], Links, str], list[Item]]:
    """Rows of (?x, ?xLabel, optional ?how) as linked items."""

    def read(rows: list[dict[str, Term]], links: Links, iri: str) -> list[Item]:
        items = []
        for row in rows:
            x = _v(row, name)
            if x is None:
                continue
            details = [d for d in (_v(row, "how"),) if d]
            items.append(_about(Item(_v(row, label) or x, links.href(x), details), row, links, iri))
        return _dedupe(items)

    return read


def _dated(rows: list[dict[str, Term]], links: Links, iri: str) -> list[Item]:
    """Rows of (?x, ?xLabel, ?how) with dates as linked items, current ones first."""
    items = [
        Item(
            _v(r, "xLabel") or str(_v(r, "x")),
            links.href(str(_v(r, "x"))),
            [d for d in (_v(r, "how"),) if d] + _dates(r),
            status=_status(r),
        )
        for r in rows
        if _v(r, "x")
    ]
    return _dedupe(items)


def _requirements(rows: list[dict[str, Term]], links: Links, iri: str) -> list[Item]:
    items = []
    for row in rows:
        q = _v(row, "q")
        if q is None:
            continue
        details = []
        if _v(row, "obligation") == CW + "Desirable":
            details.append("desirable, not required")
        if level := _v(row, "levelLabel"):
            details.append(level)
        if duration := _text(row, "duration"):
            details.append(duration)
        if within := _text(row, "within"):
            details.append(f"within {within}")
        details += _dates(row)
        item = Item(_v(row, "qLabel") or q, links.href(q), details, status=_status(row))
        items.append(_about(item, row, links, iri))
    return _dedupe(items)


def _regulators(rows: list[dict[str, Term]], links: Links, iri: str) -> list[Item]:
    items = []
    for row in rows:
        org = _v(row, "org")
        if org is None:
            continue
        details = [d for d in (_v(row, "how"), _v(row, "areaLabel")) if d] + _dates(row)
        item = Item(_v(row, "orgLabel") or org, links.href(org), details, status=_status(row))
        items.append(_about(item, row, links, iri))
    return _dedupe(items)


def _fundings(rows: list[dict[str, Term]], links: Links, iri: str) -> list[Item]:
    """One item per funding statement (?f): what it funds, how much, when, for whom and by whom."""
    first: dict[str, dict[str, Term]] = {}
    for row in rows:
        key = _v(row, "f") or _v(row, "p")
        if key is not None and key not in first:
            first[key] = row
    items = []
    for row in first.values():
        p = _v(row, "p")
        if p is None:
            continue
        currency = _v(row, "currency") or "GBP"
        details = []
        if amount := _v(row, "amount"):
            per = _v(row, "per")
            details.append(money(amount, currency) + (f" per {per}" if per else ""))
        if london := _v(row, "london"):
            details.append(f"{money(london, currency)} in London")
        if period := _v(row, "periodLabel"):
            details.append(period)
        if places := _v(row, "places"):
            details.append(f"{int(places):,} places")
        if funder := _v(row, "funderLabel"):
            details.append(f"funded by {funder}")
        if recipient := _v(row, "recipientLabel"):
            details.append(f"for {recipient}")
        item = Item(_v(row, "pLabel") or p, links.href(p), details, status=_status(row))
        items.append(_about(item, row, links, iri))
    order = {"current": 0, "planned": 1, "ended": 2}
    return sorted(items, key=lambda i: (order.get(i.status, 3), i.about or "", i.text.lower(), i.details))


def _figures(rows: list[dict[str, Term]], links: Links, iri: str) -> list[Item]:
    """The latest figure of each statistic, with its period, area, producer and source."""
    latest: dict[str, dict[str, Term]] = {}
    for row in rows:
        stat = _v(row, "stat")
        if stat is None:
            continue
        when = _v(row, "when") or ""
        if stat not in latest or when > (_v(latest[stat], "when") or ""):
            latest[stat] = row
    items = []
    for stat, row in sorted(latest.items(), key=lambda sr: _v(sr[1], "statLabel") or sr[0]):
        value = _text(row, "value") or ""
        unit = _v(row, "unitLabel")
        shown = f"{value}%" if unit in ("per cent", "percent") else f"{value} {unit or ''}".strip()
        details = [shown] + [d for d in (_v(row, "periodLabel"), _v(row, "areaLabel")) if d]
        if producer := _v(row, "producerLabel"):
            details.append(f"figure by {producer}")
        if source := _v(row, "sourceLabel"):
            details.append(f"in {source}")
        item = Item(_v(row, "statLabel") or stat, links.href(stat), details)
        items.append(_about(item, row, links, iri))
    return items


ROLE = (
    _Question(
        "broader",
        "What it is: sector, broader and narrower roles",
        _PREFIXES
        + """SELECT ?x ?xLabel ?how WHERE {
  { $r skos:broader ?x BIND("broader role" AS ?how) } UNION { ?x skos:broader $r BIND("narrower role" AS ?how) }
  UNION { $r cw:sector ?x BIND("sector" AS ?how) }
  OPTIONAL { ?x skos:prefLabel ?xLabel }
}""",
        _links("x", "xLabel"),
        "No broader or narrower role is stated.",
    ),
    _Question(
        "requires",
        "What it requires",
        _PREFIXES
        + f"""SELECT ?q ?qLabel ?role ?roleLabel ?obligation ?levelLabel ?duration ?within ?start ?end ?planned WHERE {{
  {_ROLES}
  ?s a cw:Requirement ; cw:role ?role ; cw:qualification ?q .
  OPTIONAL {{ ?q skos:prefLabel ?qLabel }} OPTIONAL {{ ?role skos:prefLabel ?roleLabel }}
  OPTIONAL {{ ?s cw:obligation ?obligation }}
  OPTIONAL {{ ?q cw:level/skos:prefLabel ?levelLabel }} OPTIONAL {{ ?q cw:duration ?duration }}
  OPTIONAL {{ ?s cw:withinDuration ?within }}
  OPTIONAL {{ ?s cw:startDate ?start }} OPTIONAL {{ ?s cw:endDate ?end }} OPTIONAL {{ ?s cw:planned ?planned }}
}}""",
        _requirements,
        "The documents state no qualification or registration for this role.",
    ),
    _Question(
        "regulated",
        "Who regulates and represents it",
        _PREFIXES
        + f"""SELECT ?org ?orgLabel ?how ?role ?roleLabel ?areaLabel ?start ?end WHERE {{
  {_ROLES}
  {{ ?s a cw:Regulation ; cw:regulatedRole ?role ; cw:regulator ?org . BIND("regulator" AS ?how)
     OPTIONAL {{ ?s cw:appliesIn/skos:prefLabel ?areaLabel }}
     OPTIONAL {{ ?s cw:startDate ?start }} OPTIONAL {{ ?s cw:endDate ?end }} }}
  UNION {{ ?org cw:represents ?role . BIND("represents" AS ?how) }}
  UNION {{ ?org cw:inspects ?role . BIND("inspects" AS ?how) }}
  OPTIONAL {{ ?org skos:prefLabel ?orgLabel }} OPTIONAL {{ ?role skos:prefLabel ?roleLabel }}
}}""",
        _regulators,
        "The documents name no regulator for this role.",
    ),
    _Question(
        "routes",
        "How to get in",
        _PREFIXES
        + """SELECT ?x ?xLabel ?how ?role ?roleLabel WHERE {
  { ?role skos:broader* $r }
  { ?s a cw:Pathway ; cw:pathwayFrom ?x ; cw:pathwayTo ?role BIND("leads to this role" AS ?how) }
  UNION { ?x cw:leadsTo ?role BIND("leads to this role" AS ?how) }
  UNION { ?x a cw:ApprenticeshipStandard ; cw:targetRole ?role BIND("apprenticeship" AS ?how) }
  UNION { ?x a cw:RecruitmentProgramme ; cw:targetRole ?role BIND("recruitment programme" AS ?how) }
  UNION { ?s a cw:Progression ; cw:fromRole ?x ; cw:toRole ?role BIND("progression from" AS ?how) }
  FILTER(!STRSTARTS(STR(?x), "https://w3id.org/cwkg/id/statement/"))
  FILTER(?x != $r) FILTER NOT EXISTS { $r skos:broader+ ?x } FILTER NOT EXISTS { ?x skos:broader+ $r }
  OPTIONAL { ?x skos:prefLabel ?xLabel } OPTIONAL { ?role skos:prefLabel ?roleLabel }
}""",
        _links("x", "xLabel"),
        "The documents name no programme, apprenticeship or progression into this role.",
    ),
    _Question(
        "bursaries",
        "Bursaries and funding on the way in",
        _PREFIXES
        + """SELECT ?f ?p ?pLabel ?role ?roleLabel ?amount ?london ?currency ?per ?periodLabel ?places ?funderLabel
       ?recipientLabel ?start ?end ?planned WHERE {
  { ?role skos:broader* $r }
  { ?w a cw:Pathway ; cw:pathwayFrom ?p ; cw:pathwayTo ?role } UNION { ?p cw:leadsTo ?role }
  UNION { ?p a cw:RecruitmentProgramme ; cw:targetRole ?role }
  UNION { ?g a cw:Progression ; cw:fromRole ?student ; cw:toRole ?role . ?recipient skos:broader* ?student .
          ?f cw:recipient ?recipient }
  ?f a/rdfs:subClassOf* cw:Funding ; cw:fundedProgramme ?p .
  OPTIONAL { ?p skos:prefLabel ?pLabel } OPTIONAL { ?role skos:prefLabel ?roleLabel }
  OPTIONAL { ?f cw:amount ?amount } OPTIONAL { ?f cw:londonAmount ?london } OPTIONAL { ?f cw:currency ?currency }
  OPTIONAL { ?f cw:per ?per } OPTIONAL { ?f cw:period/skos:prefLabel ?periodLabel } OPTIONAL { ?f cw:places ?places }
  OPTIONAL { ?f cw:funder/skos:prefLabel ?funderLabel } OPTIONAL { ?f cw:recipient/skos:prefLabel ?recipientLabel }
  OPTIONAL { ?f cw:startDate ?start } OPTIONAL { ?f cw:endDate ?end } OPTIONAL { ?f cw:planned ?planned }
}""",
        _fundings,
        "The documents state no bursary or funding for the ways into this role.",
    ),
    _Question(
        "figures",
        "Latest figures",
        _PREFIXES
        + """SELECT ?stat ?statLabel ?obs ?value ?unitLabel ?when ?periodLabel ?areaLabel ?producerLabel ?sourceLabel
       ?role ?roleLabel WHERE {
  { SELECT DISTINCT ?stat ?role WHERE {
    ?role skos:broader* $r . { ?stat cw:concerns ?role } UNION { ?o0 cw:refRole ?role ; cw:statistic ?stat } } }
  ?obs cw:statistic ?stat ; cw:obsValue ?value .
  OPTIONAL { ?obs cw:refRole ?obsRole } FILTER(!BOUND(?obsRole) || ?obsRole = ?role)
  OPTIONAL { ?stat skos:prefLabel ?statLabel } OPTIONAL { ?role skos:prefLabel ?roleLabel }
  OPTIONAL { ?obs cw:unit/skos:prefLabel ?unitLabel }
  OPTIONAL { ?obs cw:refPeriod ?period . ?period skos:prefLabel ?periodLabel OPTIONAL { ?period cw:startOfPeriod ?when } }
  OPTIONAL { ?obs cw:refArea/skos:prefLabel ?areaLabel }
  OPTIONAL { { ?obs prov:wasAttributedTo ?producer } UNION { ?stat prov:wasAttributedTo ?producer }
             ?producer skos:prefLabel ?producerLabel }
  OPTIONAL { ?obs cw:statedIn ?source . ?source rdfs:label ?sourceLabel }
}""",
        _figures,
        "The documents give no figure about this role.",
    ),
    _Question(
        "support",
        "Programmes for people in it",
        _PREFIXES
        + """SELECT ?x ?xLabel ?how ?role ?roleLabel WHERE {
  { ?role skos:broader* $r }
  ?x cw:targetRole ?role .
  FILTER NOT EXISTS { ?x a cw:ApprenticeshipStandard } FILTER NOT EXISTS { ?x a cw:RecruitmentProgramme }
  FILTER(!STRSTARTS(STR(?x), "https://w3id.org/cwkg/id/statement/"))
  OPTIONAL { ?x a/rdfs:label ?how }
  OPTIONAL { ?x skos:prefLabel ?xLabel } OPTIONAL { ?role skos:prefLabel ?roleLabel }
}""",
        _links("x", "xLabel"),
        "The documents name no programme for people in this role.",
    ),
)

ORGANISATION = (
    _Question(
        "does",
        "What it regulates, funds and runs",
        _PREFIXES
        + """SELECT ?x ?xLabel ?how ?start ?end ?planned WHERE {
  { ?s a cw:Regulation ; cw:regulator $r ; cw:regulatedRole ?x BIND("regulates" AS ?how)
    OPTIONAL { ?s cw:startDate ?start } OPTIONAL { ?s cw:endDate ?end } }
  UNION { ?s a/rdfs:subClassOf* cw:Funding ; cw:funder $r ; cw:fundedProgramme ?x BIND("funds" AS ?how)
    OPTIONAL { ?s cw:startDate ?start } OPTIONAL { ?s cw:endDate ?end } OPTIONAL { ?s cw:planned ?planned } }
  UNION { ?s a cw:Delivery ; cw:provider $r ; cw:deliveredProgramme ?x BIND("runs" AS ?how) }
  UNION { ?s a cw:Membership ; org:organization $r ; org:member ?x BIND("has member" AS ?how) }
  UNION { ?s a cw:Membership ; org:member $r ; org:organization ?x BIND("member of" AS ?how) }
  OPTIONAL { ?x skos:prefLabel ?xLabel }
}""",
        _dated,
        "The documents state nothing this organisation regulates, funds or runs.",
    ),
    _Question(
        "leads",
        "Who leads it",
        _PREFIXES
        + """SELECT ?x ?xLabel ?how ?start ?end WHERE {
  ?s org:organization $r ; org:member ?x . ?x a <https://schema.org/Person> .
  OPTIONAL { ?s org:role/skos:prefLabel ?how }
  OPTIONAL { ?s cw:startDate ?start } OPTIONAL { ?s cw:endDate ?end }
  OPTIONAL { ?x skos:prefLabel ?xLabel }
}""",
        _dated,
        "The documents name no one who leads it.",
    ),
)

PROGRAMME = (
    _Question(
        "funding",
        "Who funds it, how much",
        _PREFIXES
        + """SELECT ?f ?p ?pLabel ?amount ?london ?currency ?per ?periodLabel ?places ?funderLabel ?recipientLabel
       ?start ?end ?planned WHERE {
  BIND($r AS ?p)
  ?f a/rdfs:subClassOf* cw:Funding ; cw:fundedProgramme $r .
  OPTIONAL { ?f cw:funder/skos:prefLabel ?pLabel }
  OPTIONAL { ?f cw:amount ?amount } OPTIONAL { ?f cw:londonAmount ?london } OPTIONAL { ?f cw:currency ?currency }
  OPTIONAL { ?f cw:per ?per } OPTIONAL { ?f cw:period/skos:prefLabel ?periodLabel } OPTIONAL { ?f cw:places ?places }
  OPTIONAL { ?f cw:recipient/skos:prefLabel ?recipientLabel }
  OPTIONAL { ?f cw:startDate ?start } OPTIONAL { ?f cw:endDate ?end } OPTIONAL { ?f cw:planned ?planned }
}""",
        lambda rows, links, iri: [
            Item(i.text, None, i.details, status=i.status) for i in _fundings(rows, links, iri)
        ],
        "The documents state no funding for it.",
    ),
    _Question(
        "for",
        "Who it is for, who runs it, what it leads to",
        _PREFIXES
        + """SELECT ?x ?xLabel ?how WHERE {
  { $r cw:targetRole ?x BIND("for" AS ?how) }
  UNION { ?s a cw:Delivery ; cw:deliveredProgramme $r ; cw:provider ?x BIND("run by" AS ?how) }
  UNION { ?s a cw:Pathway ; cw:pathwayFrom $r ; cw:pathwayTo ?x BIND("leads to" AS ?how) }
  UNION { $r cw:leadsTo ?x BIND("leads to" AS ?how) }
  OPTIONAL { ?x skos:prefLabel ?xLabel }
}""",
        _links("x", "xLabel"),
        "The documents state no role it is for, provider or destination.",
    ),
)

QUALIFICATION = (
    _Question(
        "needed",
        "Which roles need it",
        _PREFIXES
        + """SELECT ?x ?xLabel ?how ?start ?end ?planned WHERE {
  ?s a cw:Requirement ; cw:qualification $r ; cw:role ?x .
  OPTIONAL { ?s cw:obligation ?o } BIND(IF(BOUND(?o) && ?o = cw:Desirable, "desirable", "required") AS ?how)
  OPTIONAL { ?s cw:startDate ?start } OPTIONAL { ?s cw:endDate ?end } OPTIONAL { ?s cw:planned ?planned }
  OPTIONAL { ?x skos:prefLabel ?xLabel }
}""",
        _dated,
        "The documents state no role that needs it.",
    ),
    _Question(
        "level",
        "Level, duration and what leads to it",
        _PREFIXES
        + """SELECT ?x ?xLabel ?how WHERE {
  { $r cw:level ?x BIND("level" AS ?how) }
  UNION { ?s a cw:Pathway ; cw:pathwayTo $r ; cw:pathwayFrom ?x BIND("leads to it" AS ?how) }
  UNION { ?x cw:leadsTo $r BIND("leads to it" AS ?how) }
  UNION { $r cw:awardedBy ?x BIND("awarded by" AS ?how) }
  OPTIONAL { ?x skos:prefLabel ?xLabel }
}""",
        _links("x", "xLabel"),
        "The documents state no level or route to it.",
    ),
)

#: The questions each kind of resource answers first (the kind is the {kind} segment of its IRI).
QUESTIONS: dict[str, tuple[_Question, ...]] = {
    "role": ROLE,
    "org": ORGANISATION,
    "programme": PROGRAMME,
    "qualification": QUALIFICATION,
    "apprenticeship": QUALIFICATION,
}


async def summarise(request: Request, iri: str, links: Links) -> list[Section]:
    """The first sections of a resource's page, one per question of its kind (none for other kinds)."""
    kind = iri[len(ID) :].partition("/")[0] if iri.startswith(ID) else ""
    node = str(ox.NamedNode(iri))
    questions = QUESTIONS.get(kind, ())
    # the questions are independent: asked of the read workers at once
    answers = await asyncio.gather(*(select(request, q.query.replace("$r", node)) for q in questions))
    return [
        Section(q.key, q.title, q.read(rows, links, iri), q.empty)
        for q, rows in zip(questions, answers, strict=True)
    ]

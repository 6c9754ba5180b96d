"""Observations as a Vega-Lite chart along their dimensions (rendered in the browser
by the vega libraries we serve from /static/vendor).

The chart is chosen from the data, not per dataset: the dimensions whose value varies across the
observations (read from the ontology's qb:DimensionProperty terms) become the axes. A varying
reference period goes on the x axis of a line chart; otherwise the first varying dimension is the x
axis of a bar chart; a second varying dimension is the colour. With more than two varying dimensions,
or units that differ, only the observations of the most common unit are charted, or none.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cwkg.namespaces import CW
from cwkg.server.pages.profile import Profile

__all__ = ["NOTES", "PERIOD", "UNIT", "VALUE", "chart_spec"]

VALUE = CW + "obsValue"
UNIT = CW + "unit"
PERIOD = CW + "refPeriod"
NOTES = (CW + "qualifier", CW + "obsNote")


def _text(row: dict[str, Any], dim: str) -> str:
    return row["cells"][dim].text if dim in row["cells"] else ""


def _independent(dims: list[str], rows: list[dict[str, Any]]) -> list[str]:
    """The dimensions left when one that splits the rows exactly as another does is dropped (the
    statistic "teacher turnover rate" says no more than the role "teacher"); later dimensions are kept."""
    kept: list[str] = []
    partitions: set[frozenset[frozenset[int]]] = set()
    for dim in reversed(dims):
        groups: dict[str, set[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault(_text(row, dim), set()).add(i)
        partition = frozenset(frozenset(g) for g in groups.values())
        if partition not in partitions:
            partitions.add(partition)
            kept.insert(0, dim)
    return kept


def chart_spec(
    profile: Profile, title: str, dims: list[str], rows: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """A Vega-Lite spec for the rows, titled, or None when a chart would not help."""
    units = Counter(r["cells"][UNIT].text for r in rows if UNIT in r["cells"] and r["number"] is not None)
    if not units:
        return None
    unit = units.most_common(1)[0][0]
    rows = [
        r for r in rows if r["number"] is not None and UNIT in r["cells"] and r["cells"][UNIT].text == unit
    ]
    varying = _independent([d for d in dims if len({_text(r, d) for r in rows}) > 1], rows)
    if not varying or len(varying) > 2 or len(rows) < 2:
        return None
    names = {d: profile.label(d) for d in varying}
    values = []
    for r in rows:
        item: dict[str, Any] = {names[d]: r["cells"][d].text if d in r["cells"] else "" for d in varying}
        item["value"] = r["number"]
        item["start"] = r["sort"].get(PERIOD, "")
        values.append(item)
    # time goes on a time axis (2004 to 2019 spaced as years) when every period has a first day
    over_time = PERIOD in varying and all(
        len(str(v["start"])) >= 4 and str(v["start"])[:4].isdigit() for v in values
    )
    x = PERIOD if over_time else varying[0]
    colour = next((d for d in varying if d != x), None)
    yearly = over_time and all(
        str(v["start"]).endswith("-01-01") or len(str(v["start"])) == 4 for v in values
    )
    x_axis: dict[str, Any] = (
        {
            "field": "start",
            "type": "temporal",
            "title": names[x],
            "axis": {"format": "%Y" if yearly else "%b %Y", "labelOverlap": True},
        }
        if over_time
        else {
            "field": names[x],
            "type": "nominal",
            "sort": None,
            "axis": {"labelAngle": -30, "labelLimit": 220},
        }
    )
    encoding: dict[str, Any] = {
        "x": x_axis,
        "y": {"field": "value", "type": "quantitative", "title": unit},
        "tooltip": [{"field": n, "type": "nominal"} for n in names.values()]
        + [{"field": "value", "title": unit}],
    }
    if colour:
        encoding["color"] = {"field": names[colour], "type": "nominal", "legend": {"labelLimit": 240}}
        if not over_time:
            encoding["xOffset"] = {"field": names[colour]}
    series = f", one line per {names[colour]}" if colour else ""
    what = "Line chart over time" if over_time else f"Bar chart by {names[x]}"
    description = f"{what} of {len(values)} figures in {unit}{series}; the table below gives every value."
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": {"text": title, "anchor": "start", "limit": 900},
        "description": description,
        "width": "container",
        "height": 320,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "padding": {"left": 8, "right": 24, "top": 8, "bottom": 8},
        "data": {"values": values},
        "mark": {"type": "line", "point": True} if over_time else {"type": "bar"},
        "encoding": encoding,
    }

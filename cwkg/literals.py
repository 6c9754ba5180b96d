"""The one typing of literals: values from fact files and query parameters to typed RDF literals.

Dates are written at the precision the text gives and typed by it: `2015` xsd:gYear, `2015-01`
xsd:gYearMonth, `2015-01-31` xsd:date. Money and figures are exact decimals, counts integers,
durations ISO 8601, booleans true or false; other text is English (`@en`) or plain (xsd:string).
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from cwkg.namespaces import PREFIXES

__all__ = ["check_date", "literal", "start_of", "temporal"]

XSD = PREFIXES["xsd"]
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def _typed(text: str, datatype: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))


def check_date(value: str) -> None:
    """Raise ValueError unless `value` is a calendar day written YYYY-MM-DD."""
    y, mo, d = (int(x) for x in value.split("-"))
    if not 1 <= mo <= 12 or not 1 <= d <= calendar.monthrange(y, mo)[1]:
        raise ValueError(f"{value!r} is not a valid date")


def temporal(value: Any) -> ox.Literal:
    """A date at the precision written: xsd:gYear, xsd:gYearMonth or xsd:date.

    >>> temporal("2019-12").datatype.value.rpartition("#")[2]
    'gYearMonth'
    """
    text = str(value)
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"{value!r} is not a date: write 2015, 2015-01 or 2015-01-31")
    if m.group(3):
        check_date(text)
        return _typed(text, "date")
    if m.group(2):
        if not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"month of {value!r} does not exist")
        return _typed(text, "gYearMonth")
    return _typed(text, "gYear")


def start_of(literal: ox.Literal) -> str:
    """The first day a temporal literal covers, for ordering values of mixed precision."""
    text = literal.value
    return (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]


def literal(value: Any, datatype: str | None) -> ox.Literal:
    """A value typed by a property's range (None: a date at its precision); ValueError saying what is wrong."""
    if datatype == XSD + "decimal":
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise ValueError(f"expected a number, got {value!r}")
        return _typed(format(Decimal(value).normalize(), "f"), "decimal")
    if datatype == XSD + "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {value!r}")
        return _typed(str(value), "integer")
    if datatype == XSD + "duration":
        if not isinstance(value, str) or not _DURATION.match(value):
            raise ValueError(f"expected an ISO 8601 duration such as P14M, got {value!r}")
        return _typed(value, "duration")
    if datatype == XSD + "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return _typed("true" if value else "false", "boolean")
    if datatype == XSD + "date":
        check_date(str(value))
        return _typed(str(value), "date")
    if datatype is None:
        return temporal(value)
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    if datatype == XSD + "string":
        return ox.Literal(value)
    return ox.Literal(value, language="en")

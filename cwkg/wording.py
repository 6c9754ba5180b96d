"""How a literal reads to a person: dates, durations, amounts of money and numbers as they are written.

>>> literal_text(ox.Literal("2019-12", datatype=ox.NamedNode(XSD + "gYearMonth")))
'December 2019'
>>> literal_text(ox.Literal("P2Y6M", datatype=ox.NamedNode(XSD + "duration")))
'2 years 6 months'
>>> money("3362.5", "GBP")
'£3,362.50'
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from cwkg.namespaces import PREFIXES

__all__ = ["date_text", "duration_text", "literal_text", "money", "number_text"]

XSD = PREFIXES["xsd"]
_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_DURATION = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)
_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def duration_text(value: str) -> str:
    """An xsd:duration in words."""
    match = _DURATION.match(value)
    if not match or not any(match.groups()):
        return value
    return " ".join(_plural(int(n), unit) for n, unit in zip(match.groups(), _UNITS, strict=True) if n)


def money(value: str, currency: str) -> str:
    """An amount in a currency, with its symbol and two decimals unless whole."""
    try:
        amount = float(value)
    except ValueError:
        return f"{value} {currency}"
    text = f"{amount:,.0f}" if amount == int(amount) and "." not in value else f"{amount:,.2f}"
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def number_text(value: str) -> str:
    """A decimal or integer with thousands separators."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def date_text(value: str, datatype: str) -> str:
    """xsd:date, gYearMonth and gYear as a person writes them."""
    try:
        if datatype == XSD + "date":
            y, m, d = value[:10].split("-")
            return f"{int(d)} {calendar.month_name[int(m)]} {y}"
        if datatype == XSD + "gYearMonth":
            y, m = value[:7].split("-")
            return f"{calendar.month_name[int(m)]} {y}"
    except (ValueError, IndexError):
        return value
    return value


def literal_text(term: ox.Literal) -> str:
    """A literal as text: dates, durations, numbers and booleans made readable."""
    datatype = term.datatype.value
    if datatype in (XSD + "date", XSD + "gYearMonth", XSD + "gYear", XSD + "dateTime"):
        return date_text(term.value, datatype)
    if datatype == XSD + "duration":
        return duration_text(term.value)
    if datatype in (
        XSD + "decimal",
        XSD + "integer",
        XSD + "double",
        XSD + "float",
        XSD + "nonNegativeInteger",
    ):
        return number_text(term.value)
    if datatype == XSD + "boolean":
        return "yes" if term.value in ("true", "1") else "no"
    return term.value

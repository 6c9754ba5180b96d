"""Periods of figures and statements: codes such as 2019, 2019-09, 2019/20 and fy2020/21 as IRIs."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from cwkg.literals import check_date
from cwkg.namespaces import ID

__all__ = ["Period", "period_iri"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ACADEMIC = re.compile(r"^(?:ay)?(\d{4})[-/](\d{2})$")
_FINANCIAL = re.compile(r"^fy(\d{4})[-/](\d{2})$")


def period_iri(code: str) -> str:
    """The IRI of a period from its canonical code (2019, 2019-09, 2019-09-30, ay2019-20, fy2020-21)."""
    return f"{ID}period/{code}"


@dataclass(frozen=True)
class Period:
    """A period with its first and last day and a label, parsed from a code."""

    code: str
    label: str
    first: str
    last: str

    @classmethod
    def parse(cls, code: str) -> Period:
        """Parse a period code; raise ValueError for anything else.

        `2019/20` (or `2019-20`, whose second part cannot be a month) is the academic year
        September 2019 to August 2020; `fy2020/21` the financial year April 2020 to March 2021.

        >>> Period.parse("2019/20").code, Period.parse("2019-09").last
        ('ay2019-20', '2019-09-30')
        """
        if m := _FINANCIAL.match(code):
            y = cls._consecutive(code, m)
            return cls(
                f"fy{y}-{m.group(2)}", f"financial year {y}/{m.group(2)}", f"{y}-04-01", f"{y + 1}-03-31"
            )
        if (m := _ACADEMIC.match(code)) and ("/" in code or code.startswith("ay") or int(m.group(2)) > 12):
            y = cls._consecutive(code, m)
            return cls(
                f"ay{y}-{m.group(2)}", f"academic year {y}/{m.group(2)}", f"{y}-09-01", f"{y + 1}-08-31"
            )
        if m := _DATE.match(code):
            year, month, day = m.group(1), m.group(2), m.group(3)
            if day:
                check_date(code)
                return cls(code, code, code, code)
            if month:
                if not 1 <= int(month) <= 12:
                    raise ValueError(f"month {month} of {code!r} does not exist")
                days = calendar.monthrange(int(year), int(month))[1]
                label = f"{calendar.month_name[int(month)]} {year}"
                return cls(code, label, f"{year}-{month}-01", f"{year}-{month}-{days:02d}")
            return cls(code, year, f"{year}-01-01", f"{year}-12-31")
        raise ValueError(
            f"{code!r} is not a period code: use 2019, 2019-09, 2019-09-30, 2019/20 (academic "
            "year) or fy2020/21 (financial year)"
        )

    @staticmethod
    def _consecutive(code: str, m: re.Match[str]) -> int:
        y = int(m.group(1))
        if int(m.group(2)) != (y + 1) % 100:
            raise ValueError(f"{code!r} must span two consecutive years, such as 2019/20")
        return y

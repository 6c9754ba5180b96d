"""Candidate discovery: spans that look like entities or figures, with their sentence.

Rules on the normalised text of each sentence, no model:

* **figures**: money (`£6.5m`, `£3,362.50`), percentages (`16.4 per cent`, `Sixty per cent`),
  durations (`14-month`, `two years`; not ages such as `18-year-olds`), dates with a year
  (`September 2019`, `spring 2021`, `2020/21`, `2017`; not a year that opens a name such as
  `2020 Workforce Strategy`) and counts (other numbers, not those after `Level`, `Band`,
  `Section`, `table` and the like, not paragraph numbers, phone numbers or URLs). Each figure
  carries the values it can be compared with in the graph (`values`).
* **names**: runs of capitalised words joined by `of`, `for`, `in`, `and`, `&`, `the` ...,
  without a leading article or sentence opener, classified by their head word: the last word,
  or the word before a preposition ("University of Bedfordshire"). Heads such as Council,
  Agency, University, Trust make an organisation; Diploma, Certificate, Award, Degree, Status
  a qualification; Programme, Scheme, Fund, Framework, Strategy a programme; Worker, Officer,
  Director a role. An unclassified name of two words or more that an acronym in brackets
  follows is a `name`; other unclassified runs (people, places) are dropped.
* **named programmes**: a name followed by up to three lower-case words and `programme`,
  `scheme`, `course` ... ("Frontline fast-track graduate programme").
* **lower-case roles and qualifications**: a role head (`workers`, `carers`, `advisers` ...)
  with the content words before it ("youth justice workers"); heads that are roles on their
  own (`teachers`, `nurses`, `childminders`) also alone; a qualification head (`degree`,
  `diploma`, `qualification`) with a subject before it ("social work degree"), and
  "Level 2 and 3 qualifications".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cwkg.extract.document import Document
from cwkg.extract.sentences import Sentence

__all__ = ["ENTITY_KINDS", "FIGURE_KINDS", "Candidate", "find_candidates", "find_in_sentence"]

FIGURE_KINDS = ("money", "percent", "duration", "date", "count")
ENTITY_KINDS = ("qualification", "organisation", "programme", "role", "name")

_NUMWORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_NW = "|".join(sorted(_NUMWORDS, key=len, reverse=True))
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = "|".join(m.capitalize() for m in _MONTHS) + "|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_SCALE = {"m": 10**6, "million": 10**6, "bn": 10**9, "billion": 10**9, "k": 10**3, "thousand": 10**3}

_MONEY = re.compile(rf"£\s?(?P<n>{_NUM})(?:\s?(?P<s>bn|m|k|million|billion)\b)?")
_PERCENT = re.compile(
    rf"\b(?P<n>{_NUM}|(?i:{_NW})(?:[- ](?i:{_NW}))?)\s?(?:%|per ?cent\b)",
)
_DURATION = re.compile(
    rf"\b(?P<n>{_NUM}|(?i:{_NW}))(?:-|\s)(?P<u>year|month|week|day|hour)s?\b(?![- ]olds?\b)['’]?"
)
_YEARS_AND_MONTHS = re.compile(
    rf"\b(?P<y>{_NUM}|(?i:{_NW}))\syears?\sand\s(?P<m>{_NUM}|(?i:{_NW}))\smonths?\b"
)
_DATE = re.compile(
    rf"\b(?:(?P<d>\d{{1,2}})\s)?(?P<m>{_MONTH})\.?\s(?P<y>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<m2>{_MONTH})\s(?P<d2>\d{{1,2}}),\s(?P<y6>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<season>early|late|mid|spring|summer|autumn|winter)[- ](?P<y2>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<y3>(?:19|20)\d{{2}})\s?/\s?(?P<y4>(?:19|20)?\d{{1,2}})\b"
    rf"|\b(?P<y5>(?:19|20)\d{{2}})\b(?!\s?[-/]\s?\d)(?!\s(?:[A-Z]\w|&))"
)
_COUNT = re.compile(rf"(?<![\w.,£/-])(?P<n>{_NUM})(?:\s(?P<s>million|billion|thousand)\b)?(?![\w/])")
_COUNT_BLOCKERS = re.compile(
    r"(?:level|band|stage|tier|step|phase|section|sections|table|tables|figure|chart|paragraph|paragraphs|"
    r"para|page|pages|annex|chapter|box|wave|part|act|no|number|grade|key stage|cohort|article|"
    r"clause|schedule|standard|rule|scale|point|spine point|nvq|gcse|ks|year|years|aged|age|ages)\.?\s*$",
    re.IGNORECASE,
)
_BLOCKED = re.compile(
    r"\b\d+-?(?:\s(?:to|and)\s\d+)?-year-olds?\b|\[[^\]]*\]\([^)]*\)|<?https?://\S+|www\.\S+|\S+@\S+|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b|^\s*-?\s*\d+(?:\.\d+)+\.?"
)

# -- names -------------------------------------------------------------------------------------
_NAMEWORD = r"(?:(?:Level|Band|Stage|Tier|Step)\s\d{1,2}\+?|\(Hons\)|[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*)"
_CONNECT = r"(?:of|for|in|and|the|on|to|with|from|&)"
_LIST_COMMA = r",\s(?=[A-Z][\w'’]*(?:\s[A-Z][\w'’]*)?\s(?:and|&)\s[A-Z])"  # "Children, Schools and Families"
_CHUNK = re.compile(rf"(?<![\w'’-]){_NAMEWORD}(?:(?:\s(?:{_CONNECT}\s){{0,2}}|{_LIST_COMMA}){_NAMEWORD})*")
_ACRONYM_AFTER = re.compile(r"^\s?\((?:the\s)?[A-Z][A-Za-z&]*[A-Z][A-Za-z]*s?\)")
_OPENERS = frozenset(
    "The A An In On At By For From Of To With This That These Those Its It Their Our Under Since Between "
    "Each Every All Some Many Meanwhile However Currently Both Most Several Other Such As And But Or When "
    "While If Although Following During After Before Through Within Across Last Next Former Existing Also "
    "Despite Until Unlike Like Where Who How There Here They We He She Once Only Further Recent "
    "Among Around Over Both Two Three Four Five Six Any New".split()
)
_AREAS = frozenset(
    "england wales scotland ireland uk britain london europe northern ireland united kingdom".split()
)
_HEADS: dict[str, str] = {}
for _kind, _words in {
    "organisation": "council councils agency agencies association associations institute institution institutions "
    "network networks centre centres center partnership partnerships consortium college colleges "
    "university universities foundation trust trusts board boards commission department "
    "departments service society group groups committee forum office authority authorities "
    "inspectorate alliance federation union unions company ltd limited body bodies bureau unit "
    "panel executive charity ministry school schools",
    "qualification": "diploma diplomas certificate certificates award awards degree degrees masters master's "
    "qualification qualifications status apprenticeship apprenticeships doctorate phd "
    "t-level gcse gcses nvq nvqs svq pgce hnd hnc certhe pgcert pgdip ba ma bsc msc",
    "programme": "programme programmes program scheme schemes fund funds framework frameworks initiative "
    "initiatives strategy strategies project projects pathway pathways plan standards standard "
    "statement statements matrix toolkit tool system pilot course courses academy agreement "
    "guarantee challenge offer model review year route routes campaign service's",
    "role": "worker workers practitioner practitioners officer officers manager managers director directors "
    "adviser advisers advisor advisors nurse nurses visitor visitors teacher teachers assistant "
    "assistants psychologist psychologists psychotherapist psychotherapists therapist therapists "
    "consultant consultants supervisor supervisors leader leaders lead leads carer carers childminder "
    "childminders headteacher headteachers commissioner commissioners coordinator coordinators "
    "co-ordinator co-ordinators mentor mentors apprentice apprentices specialist specialists",
}.items():
    for _w in _words.split():
        _HEADS[_w] = _kind
_QUAL_PREFIXES = frozenset("ba ma bsc msc mphil pgce nvq svq pgcert pgdip hnd hnc gcse certhe".split())
_COUNTRY_ORGS = frozenset({"england", "wales", "scotland", "ireland"})
_PREPOSITIONS = frozenset({"of", "for", "in", "on", "to", "with", "from", "at"})

# -- lower-case phrases -------------------------------------------------------------------------
_STOP = frozenset(
    "the a an of for to and or with as by all more other new many some these those their our its such most "
    "who which that less existing former potential current future individual good skilled more than are is "
    "be been being have has had also not only both each every any into from on in at how what where when "
    "there they them we you it his her own key experienced high-calibre fewer several few further about "
    "including include includes such their including than will would can could may might must should "
    "relevant appropriate formal recognised specific accredited required minimum same first second third "
    "full higher lower one two three four five six seven eight nine ten being were was do does "
    "aspiring prospective trained untrained unqualified employed permanent temporary agency paid unpaid "
    "professional professionals local national senior junior different various additional extra just very "
    "well like as per up out over under around through via if whether while this".split()
)
_VERBS = frozenset(
    "say says said support supports improve improves require requires become becomes cover covers help helps "
    "enable enables train trains recruit recruits retain retains attract attracts employ employs everything "
    "development during across among allow allows encourage encourages place places see sees make makes need "
    "needs want wants give gives expect expects ensure ensures provide provides bring brings create creates get "
    "gets keep keeps take takes qualify qualifies undertake undertakes mean means run runs offer offers "
    "enter enters join joins attend attends whom whose because so then thus therefore".split()
)
_ING_NOUNS = frozenset(
    "training nursing housing teaching learning safeguarding commissioning mentoring "
    "counselling funding parenting".split()
)
_ROLE_HEADS = (
    "social workers?|workers?|practitioners?|carers?|advis[eo]rs?|officers?|managers?|directors?|"
    "nurses?|visitors?|teachers?|assistants?|psychologists?|psychotherapists?|therapists?|"
    "consultants?|supervisors?|leaders?|childminders?|headteachers?|commissioners?|"
    "co-?ordinators?|mentors?|apprentices?|playworkers?|paediatricians?|midwives|midwife|"
    "counsellors?|inspectors?|guardians?"
)
_SELF_ROLES = frozenset(
    "teacher teachers nurse nurses childminder childminders headteacher headteachers psychologist psychologists "
    "psychotherapist psychotherapists therapist therapists playworker playworkers paediatrician paediatricians "
    "midwife midwives counsellor counsellors".split()
) | {"social worker", "social workers"}
_LOWER_ROLE = re.compile(
    rf"(?<![\w'’])((?:[a-z][a-z'’-]*\s){{0,3}})({_ROLE_HEADS})\b(?:\s(of|for|in)\s([a-z][\w'’]*\s)?"
    rf"(children['’]s services|youth work|social work|education))?"
)
_LOWER_QUAL = re.compile(
    r"(?<![\w'’])((?:[a-z][a-z'’-]*\s){1,3})(degrees?|diplomas?|masters|qualifications?|"
    r"certificates?)\b(?:\s(?:in|of)\s((?:[a-z][a-z'’-]*)(?:\s(?:and\s)?[a-z][a-z'’-]*){0,2}))?"
)
_LEVEL_QUAL = re.compile(
    r"\bLevel\s\d{1,2}\+?(?:\s(?:and|or|to)\s\d{1,2})?(?:\s[a-z][\w'’-]*){0,4}?\s"
    r"(?:qualifications?|diplomas?|certificates?|awards?|apprenticeships?)\b"
)
_NAMED_PROGRAMME_TAIL = re.compile(
    r"((?:\s[a-z0-9][\w'’-]*){0,3})\s(programmes?|scheme|initiative|project|pilot|fund|course|pathway|"
    r"route|academy|apprenticeship)\b"
)


@dataclass(frozen=True, order=True)
class Candidate:
    """A span that may name an entity or state a figure, with where it stands."""

    source_id: str
    raw_start: int
    raw_end: int
    kind: str
    text: str
    start: int
    end: int
    sentence: int
    section: str
    values: tuple[str, ...] = ()

    @property
    def is_figure(self) -> bool:
        """Whether the candidate is a figure (money, percentage, duration, date or count)."""
        return self.kind in FIGURE_KINDS


def _decimal(text: str) -> Decimal | None:
    """A number written with digits, commas or words."""
    t = text.lower().replace(",", "")
    try:
        return Decimal(t)
    except InvalidOperation:
        pass
    parts = re.split(r"[- ]", t)
    if all(p in _NUMWORDS for p in parts):
        return Decimal(sum(_NUMWORDS[p] for p in parts))
    return None


def _plain(d: Decimal) -> str:
    """A decimal as the build writes it: no exponent, no trailing zeros."""
    return format(d.normalize(), "f")


def number_values(text: str, scale: str | None = None) -> tuple[str, ...]:
    """The comparable values of a number.

    >>> number_values("£6.5", "m"), number_values("8,000"), number_values("Sixty")
    (('6500000',), ('8000',), ('60',))
    """
    d = _decimal(text.lstrip("£ "))
    if d is None:
        return ()
    if scale:
        d *= _SCALE[scale.lower()]
    return (_plain(d),)


def _duration_values(n: str, unit: str) -> tuple[str, ...]:
    d = _decimal(n)
    if d is None:
        return ()
    v = _plain(d)
    letter = {"year": "Y", "month": "M", "week": "W", "day": "D"}.get(unit.lower())
    if letter is None:
        return (f"PT{v}H",)
    out = [f"P{v}{letter}"]
    if letter == "Y":
        out.append(f"P{_plain(d * 12)}M")
    if letter == "W":
        out.append(f"P{_plain(d * 7)}D")
    return tuple(out)


def _date_values(m: re.Match[str]) -> tuple[str, ...]:
    if m.group("y6"):
        month = _MONTHS.index(next(x for x in _MONTHS if x.startswith(m.group("m2").lower()[:3]))) + 1
        return (f"{m.group('y6')}-{month:02d}-{int(m.group('d2')):02d}",)
    if m.group("y"):
        month = _MONTHS.index(next(x for x in _MONTHS if x.startswith(m.group("m").lower()[:3]))) + 1
        ym = f"{m.group('y')}-{month:02d}"
        return (f"{ym}-{int(m.group('d')):02d}",) if m.group("d") else (ym,)
    if m.group("y2"):
        return (m.group("y2"),)
    if m.group("y3"):
        first = int(m.group("y3"))
        tail = m.group("y4")
        second = (
            int(tail) if len(tail) == 4 else (first // 100) * 100 + int(tail) if len(tail) == 2 else first + 1
        )
        if second == first + 1:
            s = f"{first}-{second % 100:02d}"
            return (f"ay{s}", f"fy{s}")
        return (str(first), str(second))
    return (m.group("y5"),)


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a < e and s < b for s, e in spans)


def _figures(text: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Figures of one sentence as (start, end, kind, values), by the order of the rules."""
    taken = [(m.start(), m.end()) for m in _BLOCKED.finditer(text)]
    out: list[tuple[int, int, str, tuple[str, ...]]] = []

    def keep(a: int, b: int, kind: str, values: tuple[str, ...]) -> None:
        if not _overlaps(taken, a, b):
            taken.append((a, b))
            out.append((a, b, kind, values))

    for m in _MONEY.finditer(text):
        keep(m.start(), m.end(), "money", number_values(m.group("n"), m.group("s")))
    for m in _PERCENT.finditer(text):
        keep(m.start(), m.end(), "percent", number_values(m.group("n")))
    for m in _YEARS_AND_MONTHS.finditer(text):
        years, months = _decimal(m.group("y")), _decimal(m.group("m"))
        if years is not None and months is not None:
            total = f"P{_plain(years * 12 + months)}M"
            keep(m.start(), m.end(), "duration", (f"P{_plain(years)}Y{_plain(months)}M", total))
    for m in _DURATION.finditer(text):
        end = m.end() - (1 if text[m.end() - 1] in "'’" else 0)
        keep(m.start(), end, "duration", _duration_values(m.group("n"), m.group("u")))
    for m in _DATE.finditer(text):
        keep(m.start(), m.end(), "date", _date_values(m))
    for m in _COUNT.finditer(text):
        if _COUNT_BLOCKERS.search(text, max(0, m.start() - 14), m.start()):
            continue
        n = m.group("n")
        if re.fullmatch(r"(?:19|20)\d{2}", n):
            continue  # a year that the date rule left out opens a name
        keep(m.start(), m.end(), "count", number_values(n, m.group("s")))
    return out


def _classify(words: list[str], acronym: bool) -> str | None:
    """The kind of a capitalised run from its head word, or None."""
    lower = [w.lower() for w in words]
    if len(words) >= 2 and lower[0] in _QUAL_PREFIXES | {"level"}:
        if lower[0] != "level" or _HEADS.get(lower[-1]) == "qualification":
            return "qualification"
    last = lower[-1]
    first_prep = next((i for i, w in enumerate(lower) if w in _PREPOSITIONS), None)
    if first_prep and lower[first_prep - 1] in _HEADS:
        return _HEADS[lower[first_prep - 1]]
    if last in _COUNTRY_ORGS:
        if len(words) >= 2 and not {"northern", "republic", "the", "of"} & set(lower[:-1]):
            return "organisation"
        return None
    if last in _HEADS:
        return _HEADS[last]
    for i, w in enumerate(lower[:-1]):
        if (
            lower[i + 1] in _PREPOSITIONS
            and w in _HEADS
            and i > 0
            or (i == 0 and w in _HEADS and lower[1] in _PREPOSITIONS)
        ):
            return _HEADS[w]
    if acronym and len(words) >= 2:
        return "name"
    return None


def _names(text: str) -> list[tuple[int, int, str]]:
    """Capitalised names of one sentence as (start, end, kind)."""
    out: list[tuple[int, int, str]] = []
    for m in _CHUNK.finditer(text):
        start, chunk = m.start(), m.group()
        words = chunk.split(" ")
        while words and (words[0] in _OPENERS or words[0].lower() in _PREPOSITIONS | {"and", "the", "&"}):
            start += len(words[0]) + 1
            words = words[1:]
        while words and words[-1].lower() in _PREPOSITIONS | {"and", "the", "&"}:
            words = words[:-1]
        if len(words) > 2 and words[0].isupper() and words[1] in ("and", "&"):
            start += len(words[0]) + len(words[1]) + 2  # "BASW and the University of ..."
            words = words[2:]
            while words and words[0] in _OPENERS:
                start += len(words[0]) + 1
                words = words[1:]
        if len(words) < 2 and not _NAMED_PROGRAMME_TAIL.match(text, start + len(" ".join(words))):
            continue
        end = start + len(" ".join(words))
        if all(w.isupper() or not w[0].isalpha() for w in words):
            continue  # headings in capitals and bare acronyms
        if all(w.lower() in _AREAS | {"and", "the", "of"} for w in words):
            continue
        tail = _NAMED_PROGRAMME_TAIL.match(text, end)
        if tail and not any(w.lower() in _STOP for w in tail.group(1).split()):
            out.append((start, tail.end(), "programme"))
            continue
        kind = _classify(words, bool(_ACRONYM_AFTER.match(text[end:])))
        if "and" in words:  # "University of Bedfordshire and Birkbeck University": two names
            i = words.index("and")
            left, right = words[:i], words[i + 1 :]
            lk, rk = _classify(left, False), _classify(right, False)
            if len(left) > 1 and len(right) > 1 and lk and lk == rk:
                out.append((start, start + len(" ".join(left)), lk))
                out.append((end - len(" ".join(right)), end, rk))
                continue
        if kind is not None:
            out.append((start, end, kind))
    return out


def _content(words: str) -> str:
    """The content words that end a run of lower-case words (stop words, verbs and numbers cut it)."""
    kept: list[str] = []
    for w in reversed(words.split()):
        if (
            w in _STOP
            or w in _VERBS
            or re.match(rf"^(?:\d|(?:{_NW})-)", w)
            or (w.endswith("ing") and w not in _ING_NOUNS)
        ):
            break
        kept.append(w)
    return " ".join(reversed(kept))


def _lower_phrases(text: str) -> list[tuple[int, int, str]]:
    """Lower-case roles and qualifications of one sentence as (start, end, kind)."""
    out: list[tuple[int, int, str]] = []
    for m in _LOWER_ROLE.finditer(text):
        mods = _content(m.group(1))
        head = m.group(2)
        if not mods and head not in _SELF_ROLES:
            if not m.group(3):
                continue
        end = m.end() if m.group(3) else m.end(2)
        out.append((m.start(2) - (len(mods) + 1 if mods else 0), end, "role"))
    for m in _LOWER_QUAL.finditer(text):
        mods = _content(m.group(1))
        if not mods:
            continue
        end = m.end() if m.group(3) and _content(m.group(3)) == m.group(3) else m.end(2)
        out.append((m.start(2) - len(mods) - 1, end, "qualification"))
    for m in _LEVEL_QUAL.finditer(text):
        out.append((m.start(), m.end(), "qualification"))
    return out


def find_in_sentence(text: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Candidates of one sentence as (start, end, kind, values), sorted.

    >>> [text[a:b] for text in ["In 2019/20, bursaries of £3,362.50 went to 1,500 social workers."]
    ...  for a, b, _, _ in find_in_sentence(text)]
    ['2019/20', '£3,362.50', '1,500', 'social workers']
    """
    figures = _figures(text)
    entities: list[tuple[int, int, str]] = sorted(
        _names(text) + _lower_phrases(text), key=lambda c: (-(c[1] - c[0]), c[0])
    )
    kept: list[tuple[int, int, str]] = []
    for a, b, kind in entities:
        if not _overlaps([(s, e) for s, e, _ in kept], a, b):
            kept.append((a, b, kind))
    return sorted([(a, b, k, ()) for a, b, k in kept] + figures)


def find_candidates(doc: Document) -> list[Candidate]:
    """Every candidate of a document, in text order."""
    out: list[Candidate] = []
    for index, sentence in enumerate(doc.sentences):
        out.extend(_sentence_candidates(doc, index, sentence))
    return out


def _sentence_candidates(doc: Document, index: int, sentence: Sentence) -> list[Candidate]:
    found: list[Candidate] = []
    section = doc.section_at(sentence.start)
    for a, b, kind, values in find_in_sentence(sentence.text):
        start, end = sentence.start + a, sentence.start + b
        raw_start, raw_end = doc.raw_span(start, end)
        found.append(
            Candidate(
                doc.source_id,
                raw_start,
                raw_end,
                kind,
                doc.text[start:end],
                start,
                end,
                index,
                section,
                values,
            )
        )
    return found

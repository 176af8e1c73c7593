"""Dates and tally periods in Arabic news, resolved against the publication date.

An incident's day is usually relative ("مساء أمس", "فجر اليوم", "يوم الاثنين الماضي") or
written with one of three families of month names ("26 كانون الأول 2022", "26 ديسمبر",
"26 جانفي"), as digits ("2022.12.27", "27/12/2022") or in the Hijri calendar
("5 جمادى الأولى 1444 هـ", converted with ``hijridate``). Tallies name a span instead
("منذ مطلع العام", "خلال الشهر الماضي"). Both work on *normalised* text and return offsets
into it. Without a publication date, anything relative resolves to ``None``.

Word lists live in ``data/lexicons`` (months, weekdays, relative_dates, periods); patterns are
compiled once per process.
"""
from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress

from hijridate import Gregorian, Hijri

from rasad.errors import InputError
from rasad.lexicon import load_table
from rasad.numbers import Offsets, SentenceWords, last_words

AR = "\u0621-\u064a"
_NOT_AR = f"(?![{AR}])"
_ARABIC_WORD = re.compile(f"[{AR}]+")   # a whole word as ``_WORD`` cuts it
_START = f"(?<![{AR}])"
_ERAS = "هجريه|هجري|ميلاديه|ميلادي|م|ه"
_YEAR_TAIL = (rf"(?:\s*,?\s*(?:من\s+)?(?:(?:ال)?(?:عام|سنه)\s+)?(?P<year>[0-9]{{4}})(?![0-9])"
              rf"(?:\s*(?P<era>{_ERAS}){_NOT_AR})?)?")
_DAY = 1
_FEW_DAYS = 2
_MONTH = 3


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class DateMatch:
    """A day (precision 1), a few days or a week (2), or a month or year (3) in the text."""

    start: int
    end: int
    date: datetime.date | None
    precision: int
    relative: bool


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class PeriodMatch:
    """A span a tally counts over; ``None`` ends are open or unknown."""

    start: int
    end: int
    period_start: datetime.date | None
    period_end: datetime.date | None


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class _Found:
    """A date with the unit it names (day, week, month, year) and how it was written."""

    match: DateMatch
    unit: str
    rule: str
    hijri: bool = False


@dataclass(frozen=True, slots=True)
class _Patterns:
    months: dict[str, tuple[int, str, bool]]
    weekdays: dict[str, int]
    day_ordinals: dict[str, int]
    offsets: dict[str, int]
    past: frozenset[str]
    next: frozenset[str]
    current_words: frozenset[str]
    past_words: frozenset[str]
    block_after: frozenset[str]
    block_before: frozenset[str]
    rules: dict[str, re.Pattern[str]]
    # token -> (rule, how many tokens before the trigger the expression may start)
    triggers: dict[str, tuple[tuple[str, int], ...]]
    # rule -> every word a match of it can begin with; a rule not here is tried anywhere
    leads: dict[str, frozenset[str]]


def _alternation(phrases: list[str] | set[str]) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)


def _clitic_word(word: str) -> str:
    """A word with the proclitics it may carry: "اليوم" -> "واليوم", "لليوم", "بالامس"."""
    words = word.split()
    head = words[0]
    if head.startswith("ال"):
        first = rf"[وف]?(?:بال|لل|ال){re.escape(head[2:])}"
    else:
        first = rf"[وف]?[بل]?{re.escape(head)}"
    return r"\s+".join([first] + [re.escape(w) for w in words[1:]])


def _clitic_alternation(words: list[str]) -> str:
    return "|".join(_clitic_word(w) for w in sorted(set(words), key=len, reverse=True))


# The words that may open a weekday, relative-day or month expression before its trigger
# ("يوم الاثنين", "شهر أكتوبر"): written into the rules' patterns with the proclitics of
# ``_clitic_forms`` (``_CLITICS``), and listed as those rules' first words (``leads``).
_DAY_WORD, _MONTH_WORD = "يوم", "شهر"
_CLITICS = "[وف]?[بل]?"


def _clitic_forms(word: str) -> set[str]:
    """Every proclitic spelling of one word, as the trigger table needs them."""
    if word.startswith("ال"):
        return {c + a + word[2:] for c in ("", "و", "ف") for a in ("ال", "بال", "لل")}
    return {c + b + word for c in ("", "و", "ف") for b in ("", "ب", "ل")}


def _triggers(table: dict[str, list[str]],
              back: dict[str, int]) -> dict[str, tuple[tuple[str, int], ...]]:
    """token -> rules it can anchor, from each rule's first words."""
    out: dict[str, list[tuple[str, int]]] = {}
    for rule, words in table.items():
        for word in words:
            out.setdefault(word, [])
            if (rule, back[rule]) not in out[word]:
                out[word].append((rule, back[rule]))
    return {k: tuple(v) for k, v in out.items()}


def _compile_rules(months: dict[str, tuple[int, str, bool]], weekdays: dict[str, int],
                   by_kind: dict[str, list[str]], day_ordinals: dict[str, int],
                   period_rows: tuple[dict[str, str], ...]) -> dict[str, re.Pattern[str]]:
    """One regex per way of writing a date; each is tried only where its trigger word is."""
    month = f"(?:{_alternation(list(months))})"
    # "آذار/مارس", "آذار (مارس)" and, with the slash lost, "آذار مارس": one month, two names
    pair = rf"(?:(?:\s*[/(\-]\s*|\s+)(?P<m2>{month}){_NOT_AR}(?:\s*\))?)?"
    parts = f"(?:{_clitic_alternation(by_kind['part'])})"
    wday = f"(?:{_clitic_alternation(list(weekdays))})"
    wmods = f"(?:{_alternation(by_kind['past'] + by_kind['next'])})"
    yawm = _CLITICS + _DAY_WORD
    ordinals = _alternation(list(day_ordinals))
    mods = _alternation([r["phrase"] for r in period_rows if r["role"] in ("current", "past")])
    past = _alternation([r["phrase"] for r in period_rows if r["role"] == "past"])
    return {
        "explicit": re.compile(
            rf"(?:{_START}(?P<dayword>{ordinals})\s+من\s+|(?:{_START}ال\s?)?(?<![0-9.,/:])"
            rf"(?P<day>[0-9]{{1,2}})(?![0-9])\s*(?:-\s*)?(?:من\s+)?)(?:(?:ال)?شهر\s+)?"
            rf"(?:(?P<m1>{month}){_NOT_AR}{pair}|(?P<this>الشهر)\s+(?P<thismod>{mods}){_NOT_AR})"
            rf"(?:\s+(?P<mod>{mods}){_NOT_AR})?{_YEAR_TAIL}"),
        "month": re.compile(
            rf"{_START}(?P<shahr>{_CLITICS}{_MONTH_WORD}\s+)?(?P<m1>{month}){_NOT_AR}{pair}"
            rf"(?:\s+(?P<mod>{mods}){_NOT_AR})?{_YEAR_TAIL}"),
        "numeric": re.compile(
            r"(?<![0-9.,/:\-])(?:(?P<y1>[0-9]{4})(?P<s1>[./\-])(?P<mo1>[0-9]{1,2})(?P=s1)"
            r"(?P<d1>[0-9]{1,2})|(?P<d2>[0-9]{1,2})(?P<s2>[./\-])(?P<mo2>[0-9]{1,2})(?P=s2)"
            r"(?P<y2>[0-9]{4}))(?![0-9]|[./\-][0-9])"
            rf"(?:\s*(?P<era>{_ERAS}){_NOT_AR})?"),
        "year": re.compile(
            rf"{_START}(?:[وفبل]|لل)?(?:ال)?(?:عام|سنه)\s+(?P<year>1[3-9][0-9]{{2}}|20[0-9]{{2}})"
            rf"(?![0-9])(?:\s*(?P<era>{_ERAS}){_NOT_AR})?"),
        "relative": re.compile(
            rf"{_START}(?:(?P<part>{parts})\s+)?(?:(?P<yawm>{yawm})\s+)?"
            rf"(?P<rel>{_clitic_alternation(by_kind['day'])}){_NOT_AR}"
            rf"(?:\s*,?\s*(?P<wd>{wday}){_NOT_AR})?"),
        "weekday": re.compile(
            rf"{_START}(?:(?P<part>{parts})\s+)?(?:(?P<yawm>{yawm})\s+)?(?P<wd>{wday}){_NOT_AR}"
            rf"(?:\s+(?P<mod>{wmods}){_NOT_AR})?"),
        "ago": re.compile(
            rf"{_START}(?:[وف]?(?:قبل|منذ)\s+(?:(?P<two>يومين)|(?P<n>[0-9]{{1,2}}|[{AR}]+)\s+"
            rf"(?:ايام|يوما)|(?P<week>اسبوع)|(?P<few>(?:بضعه\s+|عده\s+)?ايام))"
            rf"|(?P<lastweek>الاسبوع\s+(?:{past})))"
            rf"{_NOT_AR}"),
        "units": re.compile(
            rf"{_START}(?P<unit>الشهر|العام|السنه)\s+(?P<mod>{mods}){_NOT_AR}"),
    }


@functools.cache
def _patterns() -> _Patterns:
    month_rows = load_table("months", ("name",))
    months = {r["name"]: (int(r["month"]), r["calendar"], r["ambiguous"] == "yes")
              for r in month_rows}
    weekdays = {r["name"]: int(r["weekday"]) for r in load_table("weekdays", ("name",))}
    rel = load_table("relative_dates", ("phrase",))
    by_kind: dict[str, list[str]] = {}
    for r in rel:
        by_kind.setdefault(r["kind"], []).append(r["phrase"])
    day_rows = load_table("date_day_ordinals", ("phrase",))
    day_ordinals = {r["phrase"]: int(r["day"]) for r in day_rows}
    period_rows = load_table("periods", ("phrase",))
    rules = _compile_rules(months, weekdays, by_kind, day_ordinals, period_rows)
    first = {
        "explicit": [p.split()[0] for p in day_ordinals],
        "month": [name.split()[0] for name in months],
        "year": sorted(_clitic_forms("عام") | _clitic_forms("العام") | _clitic_forms("سنه")
                       | _clitic_forms("السنه")),
        "relative": sorted(set().union(*(_clitic_forms(p.split()[0]) for p in by_kind["day"]))),
        "weekday": sorted(set().union(*(_clitic_forms(w) for w in weekdays))),
        "ago": sorted(_clitic_forms("قبل") | _clitic_forms("منذ") | {"الاسبوع"}),
        "units": ["الشهر", "العام", "السنه"],
    }
    back = {"explicit": 0, "month": 1, "year": 0, "relative": 3, "weekday": 3, "ago": 0, "units": 0}
    # before their trigger, these rules can only start with a time of day or a day or
    # month word
    before = set().union(_clitic_forms(_DAY_WORD),
                         *(_clitic_forms(p.split()[0]) for p in by_kind["part"]))
    leads = {"month": set(first["month"]) | _clitic_forms(_MONTH_WORD),
             "relative": set(first["relative"]) | before,
             "weekday": set(first["weekday"]) | before}
    return _Patterns(
        months=months,
        weekdays=weekdays,
        day_ordinals=day_ordinals,
        offsets={r["phrase"]: int(r["offset"]) for r in rel if r["kind"] == "day"},
        past=frozenset(by_kind["past"]),
        next=frozenset(by_kind["next"]),
        current_words=frozenset(r["phrase"] for r in period_rows if r["role"] == "current"),
        past_words=frozenset(r["phrase"] for r in period_rows if r["role"] == "past"),
        block_after=frozenset(by_kind["block_after"]),
        block_before=frozenset(by_kind["block_before"]),
        rules=rules,
        triggers=_triggers(first, back),
        leads={rule: frozenset(words) for rule, words in leads.items()
               if all(_ARABIC_WORD.fullmatch(w) for w in words)},
    )


# --- calendar arithmetic -------------------------------------------------------------------

def hijri_to_gregorian(year: int, month: int, day: int) -> datetime.date:
    """The Gregorian day of a Hijri (Umm al-Qura) date; InputError when it does not exist."""
    try:
        return datetime.date(*Hijri(year, month, day).to_gregorian().datetuple())
    except (ValueError, OverflowError) as exc:
        raise InputError(f"Hijri date {year}-{month}-{day}: {exc}") from exc


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _safe_hijri(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return hijri_to_gregorian(year, month, day)
    except InputError:
        return None


def _recent_year(month: int, day: int, ref: tuple[int, int, int], strict: bool = False) -> int:
    """Year of the latest (month, day) on or before ``ref`` (year, month, day)."""
    if (month, day) < (ref[1], ref[2]) or (not strict and (month, day) == (ref[1], ref[2])):
        return ref[0]
    return ref[0] - 1


def _hijri_year_in(year: int, month: int, day: int) -> int:
    """The Hijri year in which Hijri (month, day) falls inside Gregorian ``year``."""
    first = Gregorian(year, 1, 1).to_hijri()
    return first.year if (month, day) >= (first.month, first.day) else first.year + 1


def _resolve(cal: str, year: int | None, month: int, day: int | None, mod: str | None,
             published: datetime.date | None) -> tuple[datetime.date | None, bool]:
    """(date, relative) of a day or month whose year may be missing.

    ``mod`` is "current" (كانون الأول الجاري), "past" (نوفمبر الماضي) or None.
    """
    make = _safe_hijri if cal == "hijri" else _safe_date
    if year is not None:
        if cal == "hijri" and year >= 1600:  # "رمضان 2023": a Hijri month in a Gregorian year
            year = _hijri_year_in(year, month, day or 1)
        return make(year, month, day or 1), False
    if published is None:
        return None, True
    if cal == "hijri":
        h = Gregorian(published.year, published.month, published.day).to_hijri()
        ref = (h.year, h.month, h.day)
    else:
        ref = (published.year, published.month, published.day)
    if day is not None:
        return make(_recent_year(month, day, ref), month, day), True
    if mod == "current":
        return make(ref[0], month, 1), True
    return make(_recent_year(month, 1, (ref[0], ref[1], 1), strict=mod == "past"), month, 1), True


def _shift_month(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _last_weekday(published: datetime.date, weekday: int, mod: str | None,
                  pats: _Patterns) -> datetime.date:
    back = (published.weekday() - weekday) % 7
    if mod in pats.next:
        return published + datetime.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    if mod in pats.past and back == 0:
        back = 7
    return published - datetime.timedelta(days=back)


def _calendar_of(cal: str, era: str | None, year: int | None) -> str:
    if era and era.startswith("ه"):
        return "hijri"
    if year is not None and year < 1600:
        return "hijri"
    return cal


# --- one handler per rule: a regex match -> a date ----------------------------------------

def _words(phrase: str) -> str:
    return " ".join(phrase.split())


def _key(word: str, table: dict[str, int]) -> str | None:
    """``word`` as written in ``table`` once proclitics are removed ("وبالامس" -> "امس")."""
    word = _words(word)
    candidates = [word]
    if word[:1] in "وف":
        candidates.append(word[1:])
    for w in list(candidates):
        if w.startswith("بال"):
            candidates.append(w[1:])
        elif w.startswith("لل"):
            candidates.append("ا" + w[1:])
        elif w[:1] in "بل":
            candidates.append(w[1:])
    return next((c for c in candidates if c in table), None)


def _mod_kind(pats: _Patterns, mod: str | None) -> str | None:
    if mod is None:
        return None
    mod = _words(mod)
    if mod in pats.current_words:
        return "current"
    return "past" if mod in pats.past_words else None


Handler = Callable[[_Patterns, str, "re.Match[str]", "datetime.date | None"], "_Found | None"]


def _explicit(pats: _Patterns, text: str, m: re.Match[str],
              published: datetime.date | None) -> _Found | None:
    """"26 كانون الأول 2022", "الـ26 من ديسمبر", "5 جمادى الأولى 1444 هـ", "26 من الشهر الجاري"."""
    day = int(m["day"]) if m["day"] else pats.day_ordinals[_words(m["dayword"])]
    year = int(m["year"]) if m["year"] else None
    if m["this"]:
        date = None
        if published is not None:
            base = _shift_month(published, -1 if _mod_kind(pats, m["thismod"]) == "past" else 0)
            date = _safe_date(base.year, base.month, day)
        return _Found(DateMatch(m.start(), m.end(), date, _DAY, True), "day", "explicit")
    month, cal, _ = pats.months[_words(m["m1"])]
    cal = _calendar_of(cal, m["era"], year)
    date, relative = _resolve(cal, year, month, day, None, published)
    if date is None and not relative:
        return None
    return _Found(DateMatch(m.start(), m.end(), date, _DAY, relative), "day", "explicit")


def _month_only(pats: _Patterns, text: str, m: re.Match[str],
                published: datetime.date | None) -> _Found | None:
    """"في أكتوبر 2017", "شهر تشرين الثاني", "كانون الأول الجاري" (precision 3)."""
    month, cal, ambiguous = pats.months[_words(m["m1"])]
    if ambiguous and not (m["shahr"] or m["year"] or m["m2"] or m["mod"]):
        return None
    year = int(m["year"]) if m["year"] else None
    cal = _calendar_of(cal, m["era"], year)
    date, relative = _resolve(cal, year, month, None, _mod_kind(pats, m["mod"]), published)
    begin = m.start("m1")
    if m["shahr"]:
        begin = m.start("shahr") + len(m["shahr"]) - len(m["shahr"].lstrip("وفبل"))
    return _Found(DateMatch(begin, m.end(), date, _MONTH, relative), "month", "month",
                  cal == "hijri")


def _numeric(pats: _Patterns, text: str, m: re.Match[str],
             published: datetime.date | None) -> _Found | None:
    """"2022.12.27", "27/12/2022", "2022-12-27"; day-month order first, then month-day."""
    if m["y1"]:
        year, first, second = int(m["y1"]), int(m["d1"]), int(m["mo1"])
    else:
        year, first, second = int(m["y2"]), int(m["d2"]), int(m["mo2"])
    make = _safe_hijri if _calendar_of("gregorian", m["era"], year) == "hijri" else _safe_date
    date = make(year, second, first) or make(year, first, second)
    if date is None:
        return None
    return _Found(DateMatch(m.start(), m.end(), date, _DAY, False), "day", "numeric")


def _year(pats: _Patterns, text: str, m: re.Match[str],
          published: datetime.date | None) -> _Found | None:
    """"عام 2022", "العام 1444 هـ" (precision 3, first day of the year)."""
    year = int(m["year"])
    hijri = _calendar_of("gregorian", m["era"], year) == "hijri"
    date = _safe_hijri(year, 1, 1) if hijri else _safe_date(year, 1, 1)
    return _Found(DateMatch(m.start(), m.end(), date, _MONTH, False), "year", "year")


def _blocked_today(pats: _Patterns, text: str, m: re.Match[str]) -> bool:
    """"اليوم التالي", "ذلك اليوم", "في مثل هذا اليوم" are not the publication day."""
    after = _NEXT_WORD.match(text, m.end("rel"))
    if after and after.group(1) in pats.block_after:
        return True
    before = _PREVIOUS_WORD.search(text, max(0, m.start() - 20), m.start())
    return bool(before and before.group(1) in pats.block_before)


def _relative(pats: _Patterns, text: str, m: re.Match[str],
              published: datetime.date | None) -> _Found | None:
    """"اليوم", "مساء أمس", "فجر اليوم الاثنين", "أول من أمس", "الليلة الماضية"."""
    key = _key(m["rel"], pats.offsets)
    if key is None:
        return None
    offset = pats.offsets[key]
    if offset == 0 and _blocked_today(pats, text, m):
        return None
    date = published + datetime.timedelta(days=offset) if published else None
    return _Found(DateMatch(m.start(), m.end(), date, _DAY, True), "day", "relative")


def _weekday(pats: _Patterns, text: str, m: re.Match[str],
             published: datetime.date | None) -> _Found | None:
    """"يوم الاثنين", "الخميس الماضي", "فجر الأحد": the latest such day by publication."""
    key = _key(m["wd"], pats.weekdays)
    if key is None:
        return None
    mod = _words(m["mod"]) if m["mod"] else None
    date = _last_weekday(published, pats.weekdays[key], mod, pats) if published else None
    return _Found(DateMatch(m.start(), m.end(), date, _DAY, True), "day", "weekday")


def _ago(pats: _Patterns, text: str, m: re.Match[str],
         published: datetime.date | None) -> _Found | None:
    """"قبل يومين", "منذ 3 أيام", "قبل أيام", "الأسبوع الماضي"."""
    from rasad.numbers import find_numbers  # numbers never imports dates: no cycle

    precision, unit = _DAY, "day"
    if m["two"]:
        days = 2
    elif m["n"]:
        counts = find_numbers(m["n"])
        if len(counts) != 1 or not 1 <= counts[0].value <= 31:
            return None
        days = counts[0].value
        precision = _FEW_DAYS if counts[0].basis == "estimated" else _DAY
    else:
        days, precision = (3, _FEW_DAYS) if m["few"] else (7, _FEW_DAYS)
        unit = "week" if m["lastweek"] else "day"
    date = published - datetime.timedelta(days=days) if published else None
    begin = m.start() + (1 if text[m.start()] in "وف" and not m["lastweek"] else 0)
    return _Found(DateMatch(begin, m.end(), date, precision, True), unit, "ago")


def _units(pats: _Patterns, text: str, m: re.Match[str],
           published: datetime.date | None) -> _Found | None:
    """"الشهر الماضي", "العام الجاري" (precision 3, first day of that month or year)."""
    kind = _mod_kind(pats, m["mod"])
    if kind is None:
        return None
    unit = "month" if m["unit"] == "الشهر" else "year"
    date = None
    if published is not None:
        back = -1 if kind == "past" else 0
        date = (_shift_month(published, back) if unit == "month"
                else datetime.date(published.year + back, 1, 1))
    return _Found(DateMatch(m.start(), m.end(), date, _MONTH, True), unit, kind)


_HANDLERS: dict[str, Handler] = {
    "explicit": _explicit, "month": _month_only, "numeric": _numeric, "year": _year,
    "relative": _relative, "weekday": _weekday, "ago": _ago, "units": _units,
}
_WORD = re.compile(rf"[{AR}]+|[0-9]+(?:[./\-][0-9]+)*")
_DIGIT = re.compile("[0-9]")   # a digit can only belong to a word of _WORD that starts with one
_DIGIT_START = _DIGIT.match
_BEGIN, _END = re.Match.start, re.Match.end
_NEXT_WORD = re.compile(rf"\s+([{AR}]+)")
_PREVIOUS_WORD = re.compile(rf"([{AR}]+)\s+\Z")
_JOIN = re.compile(r"[\s,]*(?:الموافق\s*(?:ل\s*)?)?[\s,]*\Z")


def _digit_rules(word: str) -> tuple[tuple[str, int], ...]:
    if word.isdigit():
        return (("explicit", 1),) if len(word) <= 2 else ()
    return (("numeric", 0),)


def _merge(text: str, found: list[_Found]) -> list[_Found]:
    """Drop overlaps (earlier, then longer wins) and join "الاثنين 26 ديسمبر" into one date."""
    found.sort(key=lambda f: (f.match.start, f.match.start - f.match.end))
    kept: list[_Found] = []
    for f in found:
        if kept and f.match.start < kept[-1].match.end:
            continue
        prev = kept[-1] if kept else None
        if prev and prev.rule in ("weekday", "relative") and f.rule in ("explicit", "numeric") \
                and _JOIN.match(text, prev.match.end, f.match.start):
            m = f.match
            kept[-1] = _Found(DateMatch(prev.match.start, m.end, m.date, m.precision, m.relative),
                              f.unit, f.rule)
            continue
        kept.append(f)
    return kept


def _sentence_words(text: str, start: int, end: int) -> SentenceWords:
    """The ``_WORD`` words of ``text[start:end]``, whether it has a digit and, when known,
    the words' offsets. Without a figure they are the words the number reader cut from the
    same sentence just before; ``_WORD`` and its ``_TOKEN`` differ on digits only."""
    shared = last_words(text, start, end)
    if shared is None:
        has_digit = _DIGIT.search(text, start, end) is not None
    elif shared.has_digit:
        has_digit = True
    else:
        return shared
    return SentenceWords(_WORD.findall(text, start, end), has_digit, None)


def _word_offsets(text: str, start: int, end: int) -> Offsets:
    """Where each ``_WORD`` word of ``text[start:end]`` begins and ends."""
    found = list(_WORD.finditer(text, start, end))
    return list(map(_BEGIN, found)), list(map(_END, found))


@functools.lru_cache(maxsize=16)
def _scan(text: str, published: datetime.date | None, start: int, end: int) -> tuple[_Found, ...]:
    """All dates: each trigger word tries its rules from up to ``back`` words earlier.

    Anchoring on trigger words keeps the regexes off the 95 % of positions that cannot
    start a date. The small cache lets find_periods reuse the dates of the same text.
    """
    pats = _patterns()
    triggers = pats.triggers
    sentence = _sentence_words(text, start, end)
    words, has_digit = sentence.words, sentence.has_digit
    if not has_digit and triggers.keys().isdisjoint(words):
        return ()      # no trigger word and no figure: most sentences, skipped cheaply
    begins, ends = sentence.word_offsets() or _word_offsets(text, start, end)
    # only trigger words and figures start a rule: the other words are passed over in C
    at: Iterable[int] = compress(range(len(words)), map(triggers.__contains__, words))
    if has_digit:
        at = sorted({*at, *compress(range(len(words)), map(_DIGIT_START, words))})
    found: list[_Found] = []
    for k in at:
        word, word_end = words[k], ends[k]
        rules = _digit_rules(word) if word[0].isdigit() else triggers[word]
        for rule, back in rules:
            lead = pats.leads.get(rule)
            for pos in range(max(0, k - back), k + 1):
                if pos < k and lead is not None and words[pos] not in lead:
                    continue    # no match of this rule can begin with that word
                m = pats.rules[rule].match(text, begins[pos], end)
                if m is not None and m.end() >= word_end:
                    hit = _HANDLERS[rule](pats, text, m, published)
                    if hit is not None:
                        found.append(hit)
                    break
    return tuple(_merge(text, found))


def find_dates(text: str, published: datetime.date | None, start: int = 0,
               end: int | None = None) -> list[DateMatch]:
    """Every date expression in ``text[start:end]`` (normalised text), in order."""
    end = len(text) if end is None else end
    return [f.match for f in _scan(text, published, start, end)]


# --- periods -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _PeriodPatterns:
    since: re.Pattern[str]
    during: re.Pattern[str]
    unit: re.Pattern[str]
    this_unit: re.Pattern[str]
    hours: re.Pattern[str]
    open_words: frozenset[str]
    triggers: dict[str, str]


@functools.cache
def _period_patterns() -> _PeriodPatterns:
    role: dict[str, list[str]] = {}
    for r in load_table("periods", ("phrase",)):
        role.setdefault(r["role"], []).append(r["phrase"])
    units = _alternation(role["year"] + role["month"] + role["week"])
    openers = _alternation(role["start"] + role["open"])
    triggers = {f: "since" for w in role["since"] for f in _clitic_forms(w)}
    triggers.update({f: "during" for w in role["during"] for f in _clitic_forms(w.split()[0])})
    return _PeriodPatterns(
        since=re.compile(rf"[وف]?(?P<kw>{_alternation(role['since'])})\s+"
                         rf"(?:(?P<st>{openers}){_NOT_AR}\s*)?"),
        during=re.compile(rf"[وف]?(?P<kw>{_alternation(role['during'])})\s+"),
        unit=re.compile(rf"(?:(?:{_alternation(role['this'])})\s+)?(?P<unit>{units}){_NOT_AR}"
                        rf"(?:\s+(?:{_alternation(role['current'])}){_NOT_AR})?"),
        this_unit=re.compile(rf"(?:{_alternation(role['this'])})\s+(?P<unit>{units}){_NOT_AR}"),
        hours=re.compile(rf"(?:(?:ال)?24\s+ساعه|الساعات\s+(?:ال)?24)"
                         rf"(?:\s+(?:ال)?(?:ماضيه|اخيره|منصرمه))?{_NOT_AR}"),
        open_words=frozenset(role["start"] + role["open"]),
        triggers=triggers,
    )


def _unit_start(unit: str, published: datetime.date) -> datetime.date:
    """First day of the year, month or week (from Saturday) that holds ``published``."""
    if unit in ("العام", "السنه", "عام", "سنه"):
        return datetime.date(published.year, 1, 1)
    if unit in ("الشهر", "شهر"):
        return published.replace(day=1)
    return published - datetime.timedelta(days=(published.weekday() - 5) % 7)


def _whole(found: _Found) -> tuple[datetime.date | None, datetime.date | None]:
    """The calendar days a month-, year- or week-level date names."""
    day = found.match.date
    if day is None:
        return None, None
    if found.unit == "year":
        return day, datetime.date(day.year, 12, 31)
    if found.unit == "week":
        return day, day + datetime.timedelta(days=6)
    if found.hijri:
        length = Gregorian(day.year, day.month, day.day).to_hijri().month_length()
        return day, day + datetime.timedelta(days=length - 1)
    return day, day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _since(pp: _PeriodPatterns, text: str, m: re.Match[str], published: datetime.date | None,
           dates: dict[int, _Found], end: int) -> PeriodMatch | None:
    """"منذ مطلع العام [2022]", "منذ بداية الشهر", "منذ 5 أكتوبر", "منذ اندلاع الحرب"."""
    begin = m.start("kw")
    ago = dates.get(begin)
    if ago is not None and ago.rule == "ago":  # "منذ يومين"
        return PeriodMatch(begin, ago.match.end, ago.match.date, published)
    found = dates.get(m.end())
    if found is not None and found.rule != "ago":
        return PeriodMatch(begin, found.match.end, found.match.date, published)
    unit = pp.unit.match(text, m.end(), end)
    if unit and m["st"]:
        first = _unit_start(unit["unit"], published) if published else None
        return PeriodMatch(begin, unit.end(), first, published)
    what = _WORD.match(text, m.end(), end)
    if m["st"] and what and _words(m["st"]) in pp.open_words and not what.group()[0].isdigit():
        return PeriodMatch(begin, what.end(), None, published)
    return None


def _during(pp: _PeriodPatterns, text: str, m: re.Match[str], published: datetime.date | None,
            dates: dict[int, _Found], end: int) -> PeriodMatch | None:
    """"خلال الشهر الماضي", "خلال شهر تشرين الثاني", "في عام 2022", "خلال الأسبوع الماضي"."""
    begin = m.start("kw")
    found = dates.get(m.end())
    if found is not None and found.unit in ("month", "year", "week"):
        if found.rule == "current":  # "خلال الشهر الجاري": so far
            return PeriodMatch(begin, found.match.end, found.match.date, published)
        return PeriodMatch(begin, found.match.end, *_whole(found))
    this = pp.this_unit.match(text, m.end(), end)
    if this:
        first = _unit_start(this["unit"], published) if published else None
        return PeriodMatch(begin, this.end(), first, published)
    hours = pp.hours.match(text, m.end(), end)
    if hours:
        first = published - datetime.timedelta(days=1) if published else None
        return PeriodMatch(begin, hours.end(), first, published)
    return None


def find_periods(text: str, published: datetime.date | None, start: int = 0,
                 end: int | None = None) -> list[PeriodMatch]:
    """Every tally period in ``text[start:end]`` (normalised text), in order.

    A period that runs "since" something ends on the publication day; a named month or year
    covers its calendar days; "the past week" is the seven days before publication.
    """
    end = len(text) if end is None else end
    pp = _period_patterns()
    dates = {f.match.start: f for f in _scan(text, published, start, end)}
    kept: list[PeriodMatch] = []
    for word in _WORD.finditer(text, start, end):
        kind = pp.triggers.get(word.group())
        if kind is None or (kept and word.start() < kept[-1].end):
            continue
        pattern, handler = (pp.since, _since) if kind == "since" else (pp.during, _during)
        m = pattern.match(text, word.start(), end)
        period = handler(pp, text, m, published, dates, end) if m else None
        if period is not None:
            kept.append(period)
    return kept

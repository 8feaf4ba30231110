"""Quantities and dates in a claim's text, with what they count and when they point to.

Used by the extract stage. Every table behind the patterns is data:
`data/numbers.toml` (number words, multipliers, fractions, currencies, hedges)
and `data/dates.toml` (months, units of time, relative-date phrases).

- A quantity is a value, a unit (`%`, a currency, or empty for a count), the
  thing counted (the next content word: "a 10% decrease" counts "decrease") and a
  hedge kept as a qualifier ("almost 300" is 300, qualified "almost"). Digits,
  number words ("Eleven", "twenty-one", "three hundred"), magnitudes ("£1million",
  "£1m", "£300,000") and fractions ("a third", "half") are read.
- A date is absolute ("14th May 2024", "1 January", "in 2023", "2024-05-14") or
  relative to the article ("eleven months on", "in the last 12 months", "six years
  ago", "last year"). Numbers inside a date are not also quantities.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from . import domain
from .caching import table_cache, text_cache
from .literals import CaseBlindKeys


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    value: float
    unit: str
    """"%", a currency code ("GBP"), or "" for a count."""
    thing: str
    """What is counted: the next content word, singular, lower case."""
    qualifier: str
    """The hedge's meaning ("almost", "more than"), or ""."""
    text: str
    step: float = 1.0
    """The last written place, in the unit: 0.01 million for "£1.15m", 0.1 for "3.7%"."""
    measure: str = ""
    """The unit of measure as written ("miles"), when `unit` is converted from it."""
    loose: bool = False
    """A share written in words ("nearly a third"): not read with confidence."""


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    kind: str
    """"absolute" or "relative"."""
    value: str
    """Absolute: "YYYY-MM-DD" with "?" for parts not given. Relative: "direction:days"
    ("after:334.8" for "eleven months on") or a named period ("year:-1"). A time of day:
    "time:705" (minutes after midnight) for "11.45am", "11:45", "11 45 a.m"."""
    text: str
    qualifier: str = ""
    """A time's hedge as written ("about", "just after"), or ""."""


def _words_alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class _Patterns:
    quantity: re.Pattern[str]
    date: re.Pattern[str]
    may_quantity: re.Pattern[str]
    """Found in every text `quantity` matches in: a digit or a number word (see
    `_core_words`). Most sentences hold neither, and it is quicker to look for."""
    core_words: tuple[str, ...] | None
    """The same words in lower case, where all are ASCII: a text's lower case holds one
    where `may_quantity` finds one, unless the text holds one of `_FOLDS_TO_ASCII`."""
    may_date: re.Pattern[str]
    """Found in every text `date` matches in: a digit or one of `_date_words`. More
    than half of the sentences hold neither (55% of the distinct claims of
    `../shared/real-dev`, 68% of the bench's)."""
    date_words: tuple[str, ...] | None
    """`_date_words` in lower case, as `core_words` are to `may_quantity`."""


_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@table_cache
def _patterns() -> _Patterns:
    lex = domain.lexicon()
    cal = domain.calendar()
    # Spelled-out numbers only: "m", "k" and "bn" are magnitudes after digits.
    number_word = _words_alternation([*lex.values, *(m for m in lex.multipliers if len(m) > 2)])
    # "twenty-one", "three hundred", "one hundred and fifty"; never "no one" (nobody).
    # At most six words, so that a long run of number words costs linear time.
    # "and" joins only after a multiplier, as British usage writes it.
    after_multiplier = "|".join(f"(?<={re.escape(m)})" for m in lex.multipliers if len(m) > 2)
    word_number = (
        rf"(?<![Nn]o\s)(?:{number_word})(?![\w])"
        rf"(?:(?:[-\s]+|(?:{after_multiplier})\s+and\s+)(?:{number_word})(?![\w])){{0,5}}"
    )
    hedge = _words_alternation(list(lex.hedges))
    fraction = _words_alternation(list(lex.fractions))
    currency_before = _words_alternation(
        [c for c in lex.currencies if not c.isalpha() or c.isupper()]
    )
    currency_after = _words_alternation([c for c in lex.currencies if c.isalpha()])
    # "pc" only in lower case and straight after digits ("10pc"): "PC" is a constable.
    percent = _words_alternation([p for p in lex.percent]) + r"|(?<=\d)(?-i:pc)"
    magnitude = _words_alternation([m for m in lex.multipliers if m not in ("hundred", "dozen")])
    multiplier = _words_alternation([m for m in lex.multipliers if len(m) > 2])
    measure = _words_alternation(list(reading().measures))
    quantity = re.compile(
        rf"(?<![\w.,£$€/-])(?:(?P<hedge>{hedge})\s+)?"
        rf"(?:(?P<fraction>{fraction})(?:\s+an?\s+(?P<fraction_of>{multiplier}))?(?![\w-])"
        rf"|(?P<currency>{currency_before})?\s?"
        rf"(?:(?P<digits>{_DIGITS})|(?P<words>an?\s+(?:{multiplier})(?!\w)|{word_number}))"
        rf"(?![\w,]*\d)"
        rf"(?:\s?(?P<magnitude>{magnitude})(?![\w]))?"
        rf"(?:\s?(?P<percent>{percent})(?!\w))?"
        rf"(?:\s?(?P<measure>{measure})(?![\w²/]))?)"
        rf"(?:\s+(?P<currency_word>{currency_after})(?!\w))?",
        re.IGNORECASE,
    )
    # Full month names, or abbreviations with an optional full stop ("Sept.").
    month = "|".join(
        re.escape(m.capitalize()) + (r"\.?" if len(m) <= 4 and m != "june" and m != "july" else "")
        for m in sorted(cal.months, key=lambda m: (-len(m), m))
    )
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year = r"(?:1[89]|20)\d{2}"
    unit = _words_alternation(list(cal.units))
    count = rf"{_DIGITS}|{word_number}|a|an|several|a\s+few"
    span = rf"(?:(?P<count>{count})\s+)?(?P<unit>{unit})s?['’]?"
    span_b = span.replace("<count>", "<count_b>").replace("<unit>", "<unit_b>")
    after = _words_alternation(list(cal.after_span))
    before = _words_alternation(list(cal.before_span))
    named = _words_alternation(list(cal.named))
    weekday = _words_alternation([w.capitalize() for w in cal.weekdays])
    year_cues = _words_alternation(list(cal.year_cues))
    time_hedge = _words_alternation(list(reading().time_hedges))
    named_time = _words_alternation(list(reading().named_times))
    meridiem = r"(?P<ampm>[ap])(?:\.\s?m\b\.?|\s?m\b)"  # "am", "a.m.", "a.m"
    zone = r"(?:\s?(?:GMT|BST|UTC|CET|EST|EDT|PST|PDT|local\s+time))?"
    date = re.compile(
        rf"(?<![\w/-])(?:(?P<t_hedge>{time_hedge})\s+)?(?:"
        rf"(?P<time12>(?P<t_h>1[0-2]|0?\d)(?:[.:\s](?P<t_m>[0-5]\d))?\s?{meridiem})"
        rf"|(?P<time24>(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?!\d){zone})"
        rf"|(?P<time_gmt>(?P<h4>[01]\d|2[0-3])(?P<m4>[0-5]\d)\s?(?:GMT|BST|UTC|hrs|hours\b))"
        rf"|(?P<time_named>{named_time})"
        rf"|(?P<iso>(?P<iso_y>{year})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}}))"
        rf"|(?P<slash>(?P<sl_d>\d{{1,2}})/(?P<sl_m>\d{{1,2}})/(?P<sl_y>{year}))"
        rf"|(?P<fy>(?P<fy_y>{year})[-/–](?:\d{{2}}(?!\d)|{year}))"
        rf"|(?P<range>(?P<r_d>{day})(?=\s*(?:-|–|to|and)\s*{day}\s+(?:of\s+)?"
        rf"(?P<r_m>{month})(?:,?\s+(?P<r_y>{year}))?))"
        rf"|(?P<dmy>(?P<d1>{day})\s+(?:of\s+)?(?P<m1>{month})(?:,?\s+(?P<y1>{year}))?)"
        rf"|(?P<mdy>(?P<m2>{month})\s+(?P<d2>{day})(?:,?\s+(?P<y2>{year}))?)"
        rf"|(?P<my>(?P<m3>{month})\s+(?P<y3>{year}))"
        rf"|(?P<before>(?P<before_word>{before})\s+{span_b})"
        rf"|(?P<after>{span}\s+(?P<after_word>{after}))"
        rf"|(?i:(?P<named>{named}))"
        rf"|(?:on\s+)(?P<weekday>{weekday})"
        rf"|(?<![£$€])(?:(?P<year_cue>{year_cues})\s+)?(?P<year>{year})"
        rf"(?!\s?(?:%|per\s?cent|m\b|bn\b|k\b|million|pounds|euros|dollars|[\d,.]\d))"
        rf")(?![\w/-])",
        re.IGNORECASE,
    )
    return _Patterns(quantity, date, *_guard(_core_words()), *_guard(_date_words()))


def _guard(needed: set[str]) -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    """A pattern finding a digit or one of the words a pattern's every match without a
    digit holds, and the words in lower case where all are ASCII (see `_may_hold`)."""
    words = sorted(needed, key=lambda w: (-len(w), w))
    core = "|".join(re.escape(w) for w in words)
    lowered = tuple(w.lower() for w in words) if all(w.isascii() for w in words) else None
    return re.compile(rf"\d|{core}", re.IGNORECASE), lowered


def _core_words() -> set[str]:
    """Words of which every match of the quantity pattern holds one as written, where it
    holds no digit: a figure in words starts with a number word or is "a" and a
    multiplier ("a million"), and a fraction is one of the listed phrases (each word of
    a phrase is matched as written, the space between words loosely). Hedges, currencies
    and units only stand around one of these."""
    lex = domain.lexicon()
    phrases = [*lex.values, *(m for m in lex.multipliers if len(m) > 2), *lex.fractions]
    return {phrase.split()[-1] for phrase in phrases}


def _date_words() -> set[str]:
    """Words of which every match of the date pattern holds one as written, where it
    holds no digit. Each kind of date without a digit names one: a span of time ("six
    months ago", "in the last year") its unit, a named time ("midnight"), a named day
    ("yesterday", "last week") and a weekday ("on Friday") themselves. Every date with
    a month also has a day or a year in digits. A phrase's last word stands for it
    (each word is matched as written, the space between them loosely)."""
    cal = domain.calendar()
    phrases = [*cal.units, *reading().named_times, *cal.named, *cal.weekdays]
    return {phrase.split()[-1] for phrase in phrases}


@dataclass(frozen=True)
class HedgeRange:
    low: float
    high: float
    open: bool
    unbounded: str
    """"above", "below" or "": the side the hedge leaves open ("more than 300")."""


@dataclass(frozen=True)
class Reading:
    """The tables behind how an editor reads a number (numbers.toml)."""

    hedge_ranges: dict[str, HedgeRange]
    share_words_slack: float
    share_agree_within: float
    same_hedge_within: float
    round_within: float
    measures: dict[str, tuple[str, float]]
    vague: dict[str, tuple[float, float]]
    time_hedges: tuple[str, ...]
    named_times: dict[str, int]
    close_minutes: float
    hedged_minutes: float


@table_cache
def reading() -> Reading:
    raw = domain.table("numbers.toml")
    times = raw["times"]
    return Reading(
        hedge_ranges={
            k: HedgeRange(v["low"], v["high"], v.get("open", False), v.get("unbounded", ""))
            for k, v in raw["hedge_ranges"].items()
        },
        share_words_slack=raw["shares"]["words_slack"],
        share_agree_within=raw["shares"]["agree_within"],
        same_hedge_within=raw["rounding"]["same_hedge_within"],
        round_within=raw["rounding"]["round_within"],
        measures=CaseBlindKeys(
            {k.lower(): (v[0], float(v[1])) for k, v in raw["measures"].items()}
        ),
        vague=CaseBlindKeys({k: (float(v[0]), float(v[1])) for k, v in raw["vague"].items()}),
        time_hedges=tuple(times["hedges"]),
        named_times=CaseBlindKeys(times["named"]),
        close_minutes=times["close_minutes"],
        hedged_minutes=times["hedged_minutes"],
    )


def number_value(words: str) -> float | None:
    """The value of number words: "twenty-one" -> 21, "three hundred" -> 300, "a" -> 1."""
    lex = domain.lexicon()
    total, current, seen = 0.0, 0.0, False
    for word in re.split(r"[-\s]+", words.lower()):
        if word == "and":
            continue
        if word in ("a", "an"):
            current, seen = current or 1, True
        elif word in lex.values:
            current += lex.values[word]
            seen = True
        elif word in lex.multipliers:
            scale = lex.multipliers[word]
            if scale < 1000:  # "hundred", "dozen" scale only what is right before them
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = 0
            seen = True
        elif word in ("several", "few"):
            return None
    return total + current if seen else None


def _digits_value(text: str) -> float:
    return float(text.replace(",", ""))


_FOLLOWING_WORD = re.compile(r"\s+([a-z][\w'-]*)")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


def dates(text: str) -> list[DateMention]:
    """The dates and times of day in a text, in order (a fresh list: callers may keep it)."""
    return list(_dates(text))


@text_cache()
def _dates(text: str) -> tuple[DateMention, ...]:
    # Cached: a claim's text is read for its dates by the quotations, claim changes and
    # facts detectors alike, and versions repeat claims word for word.
    if not _may_hold_date(text):
        return ()
    found = []
    cal = domain.calendar()
    function_words = domain.wording().function_words
    for m in _patterns().date.finditer(text):
        g = m.groupdict()
        value: str | None
        minutes = _minutes(g)
        if minutes is not None:
            hedge = re.sub(r"\s+", " ", (g["t_hedge"] or "").lower())
            start = m.start("t_hedge") if hedge else m.start()
            found.append(DateMention(start, m.end(), "time", f"time:{minutes}", m.group(), hedge))
            continue
        if g["t_hedge"]:
            continue  # "around" before something that is not a time
        if g["iso"]:
            value = f"{g['iso_y']}-{g['iso_m']}-{g['iso_d']}"
        elif g["fy"]:
            value = f"{g['fy_y']}-??-??"  # a financial or academic year, by its first year
        elif g["slash"]:
            value = f"{g['sl_y']}-{int(g['sl_m']):02d}-{int(g['sl_d']):02d}"
        elif g["range"] or g["dmy"] or g["mdy"] or g["my"]:
            # A range's first day ("from 1 to 14 May") takes the month written after it.
            month = g["r_m"] or g["m1"] or g["m2"] or g["m3"]
            day_text = g["r_d"] or g["d1"] or g["d2"]
            year_text = g["r_y"] or g["y1"] or g["y2"] or g["y3"]
            day_number = int(re.sub(r"\D", "", day_text)) if day_text else 0
            if day_text and not 1 <= day_number <= 31:
                continue
            day = f"{day_number:02d}" if day_text else "??"
            month_number = cal.months[month.lower().rstrip(".")]
            value = f"{year_text or '????'}-{month_number:02d}-{day}"
        elif g["before"] or g["after"]:
            before = bool(g["before"])
            unit = g["unit_b"] if before else g["unit"]
            count_text = g["count_b"] if before else g["count"]
            word = (g["before_word"] if before else g["after_word"]).lower()
            direction = (cal.before_span if before else cal.after_span)[re.sub(r"\s+", " ", word)]
            if count_text is None:
                if not before:
                    continue  # "months on" without a number is not a date
                count: float | None = 1
            elif re.fullmatch(_DIGITS, count_text):
                count = _digits_value(count_text)
            else:
                count = number_value(count_text)
            if count is None:
                value = f"{direction}:some {unit.lower()}s"
            else:
                value = f"{direction}:{round(count * cal.units[unit.lower()], 1)}"
        elif g["named"]:
            value = cal.named[re.sub(r"\s+", " ", g["named"].lower())]
        elif g["weekday"]:
            value = f"weekday:{g['weekday'].lower()}"
        else:
            following = _FOLLOWING_WORD.match(text, m.end())
            if not g["year_cue"] and following and following.group(1) not in function_words:
                continue  # "2000 people": a count, not a year
            start = m.start("year")
            found.append(DateMention(start, m.end(), "absolute", f"{g['year']}-??-??", g["year"]))
            continue
        kind = "relative" if ":" in value else "absolute"
        found.append(DateMention(m.start(), m.end(), kind, value, m.group()))
    return tuple(found)


def _minutes(g: dict[str, str | None]) -> int | None:
    """A time of day in minutes after midnight: "7.39pm", "19:39", "1939 GMT", "noon"."""
    if g["time12"]:
        hour = int(g["t_h"] or 0) % 12 + (12 if (g["ampm"] or "").lower() == "p" else 0)
        return hour * 60 + int(g["t_m"] or 0)
    if g["time24"]:
        return int(g["h24"] or 0) * 60 + int(g["m24"] or 0)
    if g["time_gmt"]:
        return int(g["h4"] or 0) * 60 + int(g["m4"] or 0)
    if g["time_named"]:
        return reading().named_times[g["time_named"].lower()]
    return None


def quantities(text: str, skip: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Quantities in text, leaving out any inside the `skip` spans (dates)."""
    found = _quantities(text)
    if found == ():
        return []
    skip = skip if skip is not None else [(d.start, d.end) for d in dates(text)]
    # Spans by start, with the furthest end so far: whether a quantity overlaps one is
    # then a bisection (testing every span for every number would be quadratic).
    skip = sorted(skip)
    starts = [a for a, _ in skip]
    reach = list(itertools.accumulate((b for _, b in skip), max))

    def skipped(start: int, end: int) -> bool:
        before = bisect.bisect_left(starts, end)  # the spans starting before its end
        return bool(before) and reach[before - 1] > start

    if found is None:
        return _read_quantities(text, skipped)
    return [q for q in found if not skipped(q.start, q.end)]


def has_quantities(text: str) -> bool:
    """Whether `quantities` can find any in a text, whatever spans it skips: False for
    most sentences (no digit, no number word), which a reader of figures can pass by."""
    return _quantities(text) != ()


@text_cache()
def _quantities(text: str) -> tuple[Quantity, ...] | None:
    """Every quantity of a text, none skipped: read once per text, as the facts, claim
    changes, quotations and frames all read a claim's figures and versions repeat
    claims word for word. Each match is read on its own, so leaving out those in a span
    afterwards is the same as skipping them. None where some match cannot be read (a
    unit matched but not in the table, as "mileſ" is): that text is read with its
    spans skipped, as it always was, in case the match is one of them."""
    if not _may_hold_quantity(text):
        return ()
    try:
        return tuple(_read_quantities(text, None))
    except Exception:  # raised again, or not, by the reading that skips
        return None


_DIGIT = re.compile(r"\d")
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
"""The letters beyond ASCII that an IGNORECASE pattern matches to an ASCII letter ("İ",
"ı", "ſ", the Kelvin sign): tests/test_numbers.py finds them by trying every one."""


def _may_hold_quantity(text: str) -> bool:
    """Whether `_patterns().may_quantity` finds a digit or a number word in a text."""
    patterns = _patterns()
    return _may_hold(text, patterns.may_quantity, patterns.core_words)


def _may_hold_date(text: str) -> bool:
    """Whether `_patterns().may_date` finds a digit or a word of `_date_words` in a text."""
    patterns = _patterns()
    return _may_hold(text, patterns.may_date, patterns.date_words)


def _may_hold(text: str, guard: re.Pattern[str], words: tuple[str, ...] | None) -> bool:
    """Whether `guard` (see `_guard`) finds a digit or one of its words in a text. The
    same answer, found quicker: one case-insensitive search for many words is slow,
    while looking for each in the text's lower case is quick, and is the same where
    the words are ASCII and no letter of the text matches an ASCII letter it is not."""
    if _DIGIT.search(text):
        return True
    if words is None or (not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII)):
        return bool(guard.search(text))
    lowered = text.lower()
    return any(w in lowered for w in words)


def _read_quantities(text: str, skipped: Callable[[int, int], bool] | None) -> list[Quantity]:
    lex = domain.lexicon()
    found = []
    for m in _patterns().quantity.finditer(text):
        if skipped is not None and skipped(m.start(), m.end()):
            continue
        g = m.groupdict()
        digits_end = m.end("digits") if g["digits"] else -1
        letter_after = digits_end >= 0 and text[digits_end : digits_end + 1].isalpha()
        if letter_after and not (g["magnitude"] or g["percent"] or g["measure"]):
            continue  # "2nd", "5am": not a count
        if g["words"] and g["words"].lower() == "one" and text.startswith(" of ", m.end()):
            continue  # "one of the men": a pronoun, not a count
        fraction_only = False
        if g["fraction"]:
            value: float | None = lex.fractions[re.sub(r"\s+", " ", g["fraction"].lower())]
            if g["fraction_of"]:
                value = (value or 0) * lex.multipliers[g["fraction_of"].lower()]  # half a million
            else:
                fraction_only = True
        elif g["digits"]:
            value = _digits_value(g["digits"])
        else:
            value = number_value(g["words"])
            if g["words"].lower() in lex.multipliers:
                value = None  # "thousands of" is not a number on its own
        if value is None:
            continue
        after = _NEXT_WORD.match(text, m.end())
        service = after and after.group(1).lower() in lex.service_words
        if g["digits"] in lex.service_numbers and service:
            continue  # "999 calls": the emergency number, not a count
        step = _step(g["digits"]) if g["digits"] else 1.0
        if g["magnitude"]:
            scale = lex.multipliers[g["magnitude"].lower()]
            value *= scale
            step *= scale
        currency = g["currency"] or g["currency_word"] or ""
        unit = "%" if g["percent"] else lex.currencies.get(currency, "")
        unit = unit or lex.currencies.get(currency.lower(), "")
        measure = ""
        if g["measure"] and not unit:
            measure = re.sub(r"\s+", " ", g["measure"].lower())
            unit, factor = reading().measures[measure]
            value, step = value * factor, step * factor
        if fraction_only and value is not None:
            # "a third of forces" is a share: compared with "33%" as 33.3%.
            value, unit = round(value * 100, 2), "%"
        hedge = re.sub(r"\s+", " ", (g["hedge"] or "").lower())
        found.append(
            Quantity(
                m.start(),
                m.end(),
                value,
                unit,
                unit if measure else _thing_after(text, m.end()),
                lex.hedges.get(hedge, ""),
                m.group(),
                step,
                measure,
                fraction_only,
            )
        )
    return found


def _step(digits: str) -> float:
    """The last written place of a figure: 1 for "555", 0.01 for "1.15"."""
    _, point, decimals = digits.partition(".")
    return 10.0 ** -len(decimals) if point else 1.0


_NEXT_WORDS = re.compile(r"[\w'’-]+")


def _thing_after(text: str, position: int) -> str:
    """The first content word after a quantity, singular: "sessions" -> "session"."""
    function_words = domain.wording().function_words
    for match in _NEXT_WORDS.finditer(text, position, min(len(text), position + 80)):
        if re.search(r"[^\w\s'’-]", text[position : match.start()]):
            return ""  # punctuation first: the quantity ends its clause
        word = match.group().lower()
        if not word.isalpha():
            return ""
        if word in function_words:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        return word
    return ""


class Judgement(NamedTuple):
    """How an editor reads two figures for one slot of one claim."""

    verdict: str
    """"agree" (no row), "compatible" (hedged rounding: low) or "contradict"."""
    severity: str
    """"" when they agree; otherwise "low", "medium" or "high"."""
    why: str


_AGREE = Judgement("agree", "", "")
_EPS = 1e-9


class _Range(NamedTuple):
    low: float
    high: float
    low_open: bool
    high_open: bool


def _overlap(a: _Range, b: _Range) -> bool:
    if a.low > b.high or b.low > a.high:
        return False
    if a.low == b.high and (a.low_open or b.high_open):
        return False
    return not (b.low == a.high and (b.low_open or a.high_open))


def _is_round(q: Quantity) -> bool:
    """A figure written round ("1,000", "£300m", "more than a million"): a bound on it is
    a rounding. A bound on a precise count ("at least 69 dead") is the count itself."""
    if q.loose:
        return True
    places = q.value / q.step if q.step else q.value
    whole = round(places)
    if abs(places - whole) > 1e-6 or whole < 10 or whole % 10:
        return False
    return len(str(whole).rstrip("0")) <= 2  # "1,100" and "38,000", not "131,070"


def _rounding_unit(q: Quantity) -> float:
    """The place a figure is rounded to as written: 10,000 for "280,000", 1 for "83",
    0.1 for "83.6"."""
    unit = q.step
    whole = round(q.value / q.step) if q.step else 0
    while whole and whole % 10 == 0:
        whole //= 10
        unit *= 10
    return unit


def rounds_to(coarse: Quantity, fine: Quantity) -> bool:
    """Whether `coarse` is `fine` written rounder: "280,000" for "283,000", "83%" for
    "83.6%" (rounded or cut at a coarser place, and no further off than
    `round_within` of the figure). "600" for "555" is another figure: an editor reads a
    rounding that moves a figure by 8% as a different count."""
    if coarse.unit != fine.unit or not (_exact(coarse) and _exact(fine)):
        return False
    unit = _rounding_unit(coarse)
    if unit <= _rounding_unit(fine):
        return False
    apart = abs(coarse.value - fine.value)
    return apart < unit and apart <= reading().round_within * max(abs(fine.value), _EPS)


def both_possible(qa: Quantity, qb: Quantity) -> bool:
    """Whether two figures, one of them a hedged rounding, admit a common value ("more
    than 20" / "more than 27", "about 35%" / "about 40%"): read in two sentences, both
    can be true. Two precise counts ("at least 69" / "at least 72" dead) cannot."""
    counted = (_exact(qa) or _count_read(qa)) and (_exact(qb) or _count_read(qb))
    return not counted and qa.unit == qb.unit and _overlap(_range(qa, False), _range(qb, False))


def _count_read(q: Quantity) -> bool:
    """Whether a bound is read as the count it gives ("at least 72 people were killed")."""
    hedge = reading().hedge_ranges.get(q.qualifier)
    return bool(hedge and hedge.unbounded) and not _is_round(q)


def _range(q: Quantity, window: bool) -> _Range:
    """The values a quantity admits. `window`: only those it reads as agreeing ("more than
    200" agrees with 212, not with 2,000); else all it admits (2,000 is more than 200)."""
    slack = reading().share_words_slack * q.value if q.loose else 0.0
    hedge = reading().hedge_ranges.get(q.qualifier)
    if hedge is None or hedge.low == hedge.high == 1.0:
        half = q.step / 2
        return _Range(q.value - half - slack, q.value + half + slack, False, False)
    low, high = q.value * hedge.low - slack, q.value * hedge.high + slack
    if not window and hedge.unbounded == "above":
        high = math.inf
    if not window and hedge.unbounded == "below":
        low = -math.inf
    low_open = hedge.open and hedge.low == 1.0 and not slack
    high_open = hedge.open and hedge.high == 1.0 and not slack
    return _Range(low, high, low_open, high_open)


def _exact(q: Quantity) -> bool:
    hedge = reading().hedge_ranges.get(q.qualifier)
    return hedge is None or hedge.low == hedge.high == 1.0


def judge(qa: Quantity, qb: Quantity) -> Judgement:
    """Agree, compatible or contradict: two figures given for one slot of one claim.

    High only where both are read with confidence (figures, not a share in words) and
    they contradict each other: both exact and different beyond rounding, or hedged so
    that their ranges cannot overlap ("nearly 300" / "more than 360")."""
    if qa.unit != qb.unit:
        return _other_units(qa, qb)
    confident = not (qa.loose or qb.loose)
    contradiction = Judgement(
        "contradict",
        "high" if confident else "medium",
        "the same quantity differs" if confident else "a share in words against another figure",
    )
    bounds = domain.lexicon().hedge_bounds
    side_a, side_b = bounds.get(qa.qualifier), bounds.get(qb.qualifier)
    near = reading().share_agree_within if not confident and qa.unit == "%" else 0.0
    if abs(qa.value - qb.value) <= near + _EPS * max(abs(qa.value), 1):
        if qa.qualifier == qb.qualifier:
            return _AGREE
        if {side_a, side_b} == {"above", "below"}:
            disjoint = not _overlap(_range(qa, False), _range(qb, False))
            return Judgement(
                "contradict",
                "high" if disjoint else "medium",
                "the hedges bound the number from opposite sides",
            )
        hedged = qb if _exact(qa) else qa if _exact(qb) else None
        hedge = reading().hedge_ranges.get(hedged.qualifier) if hedged else None
        if hedge and hedge.unbounded and not hedge.open:
            return _AGREE  # "at least 72" dead and 72: the bound is the count
        # A hedge added to or dropped from one figure ("nearly 600" / "600"): both can be
        # true, but the copy's wording of the figure changed. A note, no more.
        return Judgement("compatible", "low", "only the hedge differs")
    # A bound on a precise count against the count or another bound on the same side:
    # "at least 69" and "at least 72" dead are two tolls, not two roundings.
    counted_a = _exact(qa) or (_count_read(qa) and (_exact(qb) or side_a == side_b))
    counted_b = _exact(qb) or (_count_read(qb) and (_exact(qa) or side_a == side_b))
    if counted_a and counted_b and not (qa.loose or qb.loose):
        # Strictly within half the coarser last place: "£1m" is not "£1.5 million".
        tolerance = max(qa.step, qb.step) / 2 - _EPS * max(abs(qa.value), abs(qb.value), 1)
        if abs(qa.value - qb.value) >= tolerance:
            return contradiction
        if qa.measure != qb.measure:
            return _AGREE  # "5 kilometers (3 miles)": a conversion, rounded
        return Judgement("compatible", "low", "the same figure rounded differently")
    if not _overlap(_range(qa, False), _range(qb, False)):
        return contradiction
    share_apart = abs(qa.value - qb.value) / max(abs(qa.value), abs(qb.value))
    roundings = _is_round(qa) and _is_round(qb) and share_apart <= reading().same_hedge_within
    if qa.qualifier == qb.qualifier and confident and not roundings:
        # "about 35 per cent" / "about 40 per cent", "more than 300" / "more than 358": the
        # hedge both share does not explain the change of figure. Medium: the ranges
        # overlap, so neither is read exactly. Two close round figures under one hedge are
        # two roundings ("more than 1,000" / "more than 1,100"): low, below.
        return Judgement("contradict", "medium", "the same hedge on two different figures")
    if _exact(qa) != _exact(qb):
        hedged, exact = (qb, qa) if _exact(qa) else (qa, qb)
        if _overlap(_range(hedged, True), _range(exact, True)):
            if hedged.loose or exact.loose:
                return Judgement("compatible", "low", "a share in words against a figure")
            return _AGREE  # "more than 200" and 212
        return Judgement("compatible", "low", "a loose bound: the figure is far past it")
    return Judgement("compatible", "low", "hedged figures that can both be true")


def _other_units(qa: Quantity, qb: Quantity) -> Judgement:
    same = abs(qa.value - qb.value) <= max(qa.step, qb.step) / 2 + _EPS
    if not same and re.sub(r"[^0-9]", "", qa.text) == re.sub(r"[^0-9]", "", qb.text):
        # "59,500m²" / "59,500m": one figure as written, its unit lost or changed.
        return Judgement("contradict", "medium", "the same figure in another unit")
    units = {qa.unit, qb.unit}
    if units == {"%", "points"}:
        if same:
            return Judgement("compatible", "low", "per cent against percentage points")
    elif same and "" in units and units - {""} <= set(domain.lexicon().currencies.values()):
        return _AGREE  # "£50 million investment" and "50M investment": the currency unsaid
    if same:
        return Judgement("contradict", "medium", "the same figure in another unit")
    return Judgement("contradict", "high", "the same quantity differs")


def vague_amount(text: str) -> tuple[float, float] | None:
    """The counts a vague amount admits: "a number of" 2 and more, "dozens" 24 to 199."""
    key = re.sub(r"\s+", " ", text.lower())
    found = None
    for phrase, span in reading().vague.items():
        longer = found is None or len(phrase) > len(found[0])
        if longer and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", key):
            found = (phrase, span)
    return found[1] if found else None


_LIST_ITEM = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)\s*")


def listed(text: str) -> int:
    """How many things a list names ("Kent, Essex and Surrey": 3); 0 if not a list."""
    items = [i for i in _LIST_ITEM.split(text.strip(" .;:")) if i]
    if len(items) < 2 or any(len(i.split()) > 4 for i in items):
        return 0
    return len(items)

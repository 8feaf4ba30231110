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
import re
from dataclasses import dataclass

from . import domain
from .caching import table_cache


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


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    kind: str
    """"absolute" or "relative"."""
    value: str
    """Absolute: "YYYY-MM-DD" with "?" for parts not given. Relative: "direction:days"
    ("after:334.8" for "eleven months on") or a named period ("year:-1")."""
    text: str


def _words_alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class _Patterns:
    quantity: re.Pattern[str]
    date: re.Pattern[str]


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
    currency_before = "|".join(re.escape(c) for c in lex.currencies if not c.isalpha())
    currency_after = _words_alternation([c for c in lex.currencies if c.isalpha()])
    # "pc" only in lower case and straight after digits ("10pc"): "PC" is a constable.
    percent = _words_alternation([p for p in lex.percent]) + r"|(?<=\d)(?-i:pc)"
    magnitude = _words_alternation([m for m in lex.multipliers if m not in ("hundred", "dozen")])
    multiplier = _words_alternation([m for m in lex.multipliers if len(m) > 2])
    quantity = re.compile(
        rf"(?<![\w.,£$€/-])(?:(?P<hedge>{hedge})\s+)?"
        rf"(?:(?P<fraction>{fraction})(?:\s+an?\s+(?P<fraction_of>{multiplier}))?(?![\w-])"
        rf"|(?P<currency>{currency_before})?\s?"
        rf"(?:(?P<digits>{_DIGITS})|(?P<words>an?\s+(?:{multiplier})(?!\w)|{word_number}))"
        rf"(?![\w,]*\d)"
        rf"(?:\s?(?P<magnitude>{magnitude})(?![\w]))?"
        rf"(?:\s?(?P<percent>{percent})(?!\w))?)"
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
    date = re.compile(
        rf"(?<![\w/-])(?:"
        rf"(?P<iso>(?P<iso_y>{year})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}}))"
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
    return _Patterns(quantity, date)


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
    found = []
    cal = domain.calendar()
    function_words = domain.wording().function_words
    for m in _patterns().date.finditer(text):
        g = m.groupdict()
        value: str | None
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
    return found


def quantities(text: str, skip: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Quantities in text, leaving out any inside the `skip` spans (dates)."""
    lex = domain.lexicon()
    skip = skip if skip is not None else [(d.start, d.end) for d in dates(text)]
    # Spans by start, with the furthest end so far: whether a quantity overlaps one is
    # then a bisection (testing every span for every number would be quadratic).
    skip = sorted(skip)
    starts = [a for a, _ in skip]
    reach = list(itertools.accumulate((b for _, b in skip), max))
    found = []
    for m in _patterns().quantity.finditer(text):
        before = bisect.bisect_left(starts, m.end())  # the spans starting before its end
        if before and reach[before - 1] > m.start():
            continue
        g = m.groupdict()
        digits_end = m.end("digits") if g["digits"] else -1
        letter_after = digits_end >= 0 and text[digits_end : digits_end + 1].isalpha()
        if letter_after and not (g["magnitude"] or g["percent"]):
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
        if g["magnitude"]:
            value *= lex.multipliers[g["magnitude"].lower()]
        currency = g["currency"] or (g["currency_word"] or "").lower()
        unit = "%" if g["percent"] else lex.currencies.get(currency, "")
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
                _thing_after(text, m.end()),
                lex.hedges.get(hedge, ""),
                m.group(),
            )
        )
    return found


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

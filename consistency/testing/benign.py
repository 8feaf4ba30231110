"""Benign edits: what syndication does to a copy without changing a fact.

Quote style, "10%" as "10 per cent", "11" as "eleven", "HM" for "His Majesty's",
hard wrapping, mojibake and a rewritten headline are text edits here; page
furniture and a moved or dropped paragraph are made by `syndicate` itself.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Sequence

from .. import domain
from ..caching import table_cache
from .records import simulator_data

_STRAIGHT = str.maketrans("“”‘’", "\"\"''")


def _straighten(text: str) -> str:
    return text.translate(_STRAIGHT)


def curl(text: str) -> str:
    text = re.sub(r'(^|[\s(\[])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[])'", "\\1‘", text)
    return text.replace("'", "’")


def quote_style(text: str) -> str:
    """Curly quotes become straight, straight ones curly."""
    return _straighten(text) if re.search("[“”‘’]", text) else curl(text)


def percent_style(text: str) -> str:
    """ "10%" becomes "10 per cent" and back."""
    if re.search(r"\d%", text):
        return re.sub(r"(\d)%", r"\1 per cent", text)
    return re.sub(r"(\d) per cent\b", r"\1%", text)


@table_cache
def _month_pattern() -> str:
    return "|".join(sorted(domain.calendar().months, key=len, reverse=True))


def number_words(text: str, to_words: bool) -> str:
    """Counts from two to twelve as words, or as digits; dates, money and times untouched."""
    months = _month_pattern()
    values = {w: v for w, v in domain.lexicon().values.items() if 2 <= v <= 12 and " " not in w}
    if to_words:
        by_value = {v: w for w, v in sorted(values.items(), key=lambda wv: -len(wv[0]))}
        pattern = re.compile(
            r"(?<![\d,.£$€:/-])\b(\d{1,2})\b(?![,.:/-]?\d|%| per cent|(?i: ?[ap]m\b| ?[ap]\.m\.))"
            # a day, alone or first of a range ("2 and 3 May", "2-3 May")
            rf"(?!(?:\s*(?:-|–|and|to)\s*\d{{1,2}})?(?:st|nd|rd|th)? (?i:{months})\b)"
        )

        def spell(m: re.Match[str]) -> str:
            before = text[max(0, m.start() - 12) : m.start()].split()
            if before and before[-1].lower() in domain.calendar().months:
                return m.group()
            return by_value.get(int(m.group(1)), m.group())

        return pattern.sub(spell, text)
    # Not part of a compound ("twenty-two", "twenty two") on either side.
    words = "|".join(sorted(values, key=len, reverse=True))
    pattern = re.compile(rf"(?<!-)\b({words})\b(?!-)", re.I)
    tens = {w for w, v in domain.lexicon().values.items() if v >= 20 and v % 10 == 0}

    def digit(m: re.Match[str]) -> str:
        after = text[m.end() : m.end() + 12].split()
        if after and after[0].lower().strip(".,") in domain.calendar().months:
            return m.group()
        before = text[max(0, m.start() - 12) : m.start()].split()
        if before and before[-1].lower() in tens:
            return m.group()
        return str(values[m.group().lower()])

    return pattern.sub(digit, text)


def majesty(text: str) -> str:
    """ "His Majesty's" becomes "HM" and back."""
    if re.search(r"His Majesty['’]s", text):
        return re.sub(r"His Majesty['’]s", "HM", text)
    return re.sub(r"\bHM\b", "His Majesty’s", text)


def wrap(text: str, width: int) -> str:
    return "\n\n".join(
        textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False)
        for p in text.split("\n\n")
    )


def mojibake(text: str, code_page: str) -> str:
    """UTF-8 read through a single-byte code page; bytes it does not define are lost."""
    return text.encode("utf-8").decode(code_page, errors="ignore")


def rewrite_headline(headline: str, rng: random.Random) -> str:
    """A web editor's rewrite that keeps every fact: a kicker, or title case."""
    small = {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "by"}
    if rng.random() < 0.5:
        return f"{rng.choice(simulator_data()['kickers'])} {headline}"
    words = headline.split(" ")
    return " ".join(
        w if (i and w.lower() in small) or not w[:1].islower() else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


BENIGN_EDITS = (
    "quote style",
    "wrapped",
    "per cent",
    "number words",
    "HM",
    "furniture",
    "moved paragraph",
    "dropped paragraph",
    "headline",
    "mojibake",
)
"""Edits that change no fact. A dropped paragraph may be reported as a (low) omission
and mojibake as (low) encoding damage; nothing else may be reported at all."""


LOSES_CHARACTERS = frozenset({"quote style", "dropped paragraph", "HM"})
"""Benign edits that can remove an article's only characters beyond ASCII."""


def text_edits(body: str, names: Sequence[str], rng: random.Random) -> str:
    if "quote style" in names:
        body = quote_style(body)
    if "per cent" in names:
        body = percent_style(body)
    if "number words" in names:
        body = number_words(body, to_words=rng.random() < 0.6)
    if "HM" in names:
        body = majesty(body)
    if "wrapped" in names:
        body = wrap(body, rng.randint(38, 80))
    return body

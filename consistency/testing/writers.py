"""What a change of each kind writes at its site: the per-kind writers."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .. import claimdiff, domain
from ..keys import title_key, untenured
from ..models import Severity
from .records import Base, Change, Site, simulator_data
from .sites import (
    MODAL_VERBS,
    QUANTIFIERS,
    graded_claims,
    scale_grades,
    site_text,
    wording_alternatives,
)


def _new_number(written: str, rng: random.Random) -> str:
    words = domain.lexicon().values
    if written.lower() in words:
        value = words[written.lower()]
        choices = sorted(w for w, v in words.items() if 2 <= v <= 20 and v != value)
        new = rng.choice(choices)
        return new.capitalize() if written[:1].isupper() else new
    plain = written.replace(",", "")
    if "." in plain:
        amount = float(plain)
        return f"{amount + rng.choice([-1, 1]) * rng.randint(1, 9) / 10 * max(1, amount):.1f}"
    count = int(plain)
    delta = rng.randint(1, max(3, count // 4))
    new_value = count + delta if count - delta <= 0 or rng.random() < 0.5 else count - delta
    return f"{new_value:,}" if "," in written else str(new_value)


def _new_date(written: str, rng: random.Random) -> str:
    number = int(re.match(r"\d+", written).group())  # type: ignore[union-attr]
    suffix = written[len(str(number)) :]
    if number > 1000:
        return str(number + rng.choice([-3, -2, -1, 1, 2]))
    new = rng.choice([d for d in range(1, 29) if d != number])
    if suffix:
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(new, "th")
    return f"{new}{suffix}"


def _case_like(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def _other_word(written: str, rng: random.Random) -> str:
    choices = [w for w in simulator_data()["words"] if w[:4] != written.lower()[:4]]
    return _case_like(rng.choice(choices), written)


def _other_grades(site: Site) -> list[str]:
    """Official grades of the judgment's scale other than the one written."""
    written = site_text(site).lower()
    grades = scale_grades(site.note)
    official = next((g.official for g in grades if g.wording == written), "")
    return sorted({g.official for g in grades} - {official})


@dataclass(frozen=True)
class Spot:
    """A site about to be written: what a writer needs to make its change."""

    base: Base
    kind: str
    site: Site
    severity: Severity
    """The least severity that counts for the change (`Change.severity`)."""
    also: frozenset[str] = frozenset()
    """Row kinds that may truly report a change of this kind besides its own."""

    @property
    def written(self) -> str:
        """The words at the site as the original has them."""
        return self.base.paragraphs[self.site.paragraph][self.site.start : self.site.end]

    def change(
        self, after: str, subject: str = "", before: str | None = None
    ) -> tuple[str, Change]:
        """The text that replaces the site, and the change it makes (source not yet set)."""
        site = self.site
        also = self.also
        if site.claim.claim_id in graded_claims(self.base):
            # Any change to a graded claim may change what the grade detectors read.
            also |= {"rating_conflict", "grade_status", "omission"}
        at = site.start - site.claim.start
        before = self.written if before is None else before
        change = Change(
            self.kind,
            "",
            before,
            after,
            site.claim.text,
            subject,
            frozenset({self.kind}),
            also,
            self.severity,
            at=at,
        )
        return after, change


Written = tuple[str, Change] | None
"""A writer's answer: the new text and its change, or None when the site cannot take one."""


def write_number(spot: Spot, rng: random.Random) -> Written:
    return spot.change(_new_number(spot.written, rng))


def write_date(spot: Spot, rng: random.Random) -> Written:
    return spot.change(_new_date(spot.written, rng))


def write_negation(spot: Spot, rng: random.Random) -> Written:
    return spot.change(" not", before="")


def write_name(spot: Spot, rng: random.Random) -> Written:
    """A word of a name misspelled, as copy misspells names ("Rudacubana", "Stallantis",
    "Commision"): what an editor calls one name written two ways. Not another word
    ("Northmoor Police" for "Kent Police"): that is another organisation, and the
    checker compares no claims about two subjects."""
    written = spot.written
    new = misspelled(written, rng)
    return spot.change(new, subject=spot.site.note.replace(written, new, 1))


_VOWELS = "aeiou"


def misspelled(word: str, rng: random.Random) -> str:
    """`word` with one slip of the keyboard: a letter doubled, dropped (words of five
    letters or more), two neighbours swapped or a vowel changed (words of four or
    more). The first letter stays, so a capitalised name stays one."""
    n = len(word)
    slips: dict[str, list[str]] = {
        "double": [word[: i + 1] + word[i:] for i in range(1, n)],
        "drop": [word[:i] + word[i + 1 :] for i in range(1, n)] if n >= 5 else [],
        "swap": [
            word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            for i in range(1, n - 1)
            if word[i] != word[i + 1]
        ]
        if n >= 4
        else [],
        "vowel": [
            word[:i] + v + word[i + 1 :]
            for i in range(1, n)
            if word[i] in _VOWELS
            for v in _VOWELS
            if v != word[i]
        ]
        if n >= 4
        else [],
    }
    kinds = [k for k, made in slips.items() if any(m != word for m in made)]
    made = [m for m in slips[rng.choice(kinds)] if m != word]
    return rng.choice(made)


def write_word(spot: Spot, rng: random.Random) -> Written:
    return spot.change(_other_word(spot.written, rng))


def write_meaning(spot: Spot, rng: random.Random) -> Written:
    """A modal verb or quantifier replaced by one of another rank: "will" / "could",
    "some" / "all" (claimdiff.modality_change, quantifier_change)."""
    word = spot.written.lower()
    if word in MODAL_VERBS:
        ranks, pool = claimdiff.modality_ranks(), MODAL_VERBS
    else:
        ranks, pool = claimdiff.quantifier_ranks(), QUANTIFIERS
    choices = [w for w in pool if ranks[w] != ranks[word]]
    return spot.change(_case_like(rng.choice(choices), spot.written))


def write_quoted_word(spot: Spot, rng: random.Random) -> Written:
    if rng.random() < 0.3:
        # A dropped word inside the quotation: not a fragment, an alteration.
        return spot.change("", subject=spot.site.note)
    return spot.change(_other_word(spot.written, rng), subject=spot.site.note)


def write_speaker(spot: Spot, rng: random.Random) -> Written:
    # Nobody the article names: a namesake would be the same person to a reader.
    body = " ".join(spot.base.paragraphs)
    strangers = [p for p in simulator_data()["people"] if p.split()[-1] not in body]
    return spot.change(rng.choice(strangers), subject=spot.site.note) if strangers else None


def write_title(spot: Spot, rng: random.Random) -> Written:
    held = untenured(title_key(spot.written))
    choices = [t for t in simulator_data()["titles"] if untenured(title_key(t)) != held]
    return spot.change(rng.choice(choices), subject=spot.site.note)


def write_grade(spot: Spot, rng: random.Random) -> Written:
    choices = _other_grades(spot.site)
    return spot.change(_case_like(rng.choice(choices), spot.written)) if choices else None


def write_grade_wording(spot: Spot, rng: random.Random) -> Written:
    choices = wording_alternatives(spot.site)
    return spot.change(_case_like(rng.choice(choices), spot.written)) if choices else None


def write_not_graded(spot: Spot, rng: random.Random) -> Written:
    note = spot.site.note
    return spot.change(f"{note} was not graded in this area.", subject=note)


def write_nothing(spot: Spot, rng: random.Random) -> Written:
    return spot.change("")

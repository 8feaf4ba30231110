"""Spelling: a name that one source of a story writes unlike the story's other sources.

- `name_variant` (medium): within one story, a proper name (a capitalised word, a
  run of them, initials) that one source writes, and few others, one or two slips of
  the keyboard from a form that several other sources write: "Doreset" for "Dorset",
  "Postecolgou" for "Postecoglou", "Dominik Solanke" for "Dominic Solanke"; a word of
  a name otherwise written alike that sounds the same ("Dina Heer" for "Deanna Heer").
  Also a former name of an organisation (data/organisations.toml `[[former]]`) where
  other sources use the current one. Low for a name's linking word given for another
  ("Office of National Statistics" for "Office for National Statistics") and for
  jumbled initials ("CCQ" for "CQC"): the name is still plain to read.
- `claim_altered` (medium): a place that one source puts in another region than most
  of the story's sources do ("Ellesmere Port on Merseyside" where the others write
  "Ellesmere Port, in Cheshire").

The claim detectors compare names only where two sentences are matched; a copy
that misspells a name has often reworded its sentence too, so this detector reads
the names each source uses across the whole story instead, and compares each
distinct form once (never claim by claim). What most sources write is the name;
a form one source writes that is a slip away from it is a misspelling. Two right
spellings of one word (British and American: "Defence" / "Defense"), another word
made from a name ("Texas" / "Texan", "Hospital" / "Hospitals"), two common words
("Lane" / "Line"), two sets of initials that are not one jumbled (HMIC / HMIP) and
words capitalised only because they open a sentence are never misspellings
(data/spelling.toml). Two people or places with alike names that each source names
(a list, a templated page) are never a form one source has alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations, groupby, permutations
from operator import itemgetter
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from .. import domain
from ..caching import table_cache, text_cache
from ..keys import org_key
from ..models import Claim, Discrepancy, OrgMention, Severity
from ..rarity import zipf
from .base import Context, Side, make
from .claims import CLAIM_ALTERED, NAME_VARIANT
from .registry import Detector

RARE_SHARE = 4
"""A form is a slip only if at most one source in this many of the story writes it
(always at least one): a spelling a quarter of the copies share is a house style or
another name, not one writer's slip."""
MIN_OTHERS = 2
"""Sources other than the slip's that must write the form it is a slip from, and the
form must be written by at least twice as many sources as the slip: one source
against one cannot say which of two spellings is the name."""
ONE_EDIT_LENGTH = 5
"""The shortest word (the shorter of the two) in which one slip (a letter added,
dropped, changed or two swapped: rapidfuzz `OSA`) is a misspelling when the word
stands alone: shorter names one letter apart are as often two names ("Kent" /
"Kant", "Bogo" / "Bugo" alike)."""
ONE_EDIT_IN_NAME = 4
"""The same inside a name whose other words are written alike ("Babe King" for "Bebe
King"): the rest of the name says it is one person."""
TWO_EDIT_LENGTH = 6
"""The shortest word in which two slips are a misspelling ("Gregson" / "Gerson")..."""
TWO_EDIT_SIMILARITY = 0.9
"""...and then only with rapidfuzz `JaroWinkler` similarity at least this: most letters
in order and the opening alike ("Gregson" / "Gerson" 0.91, "Aguirre" / "Aguiar" 0.91;
"Anfield" / "Ashfield" 0.86)."""
COMMON_WORD = 4.0
"""Zipf frequency (`rarity.zipf`) at or above which two words are both common English
words or well-known names: one for the other is another word or place ("Lane" / "Line",
"Austria" / "Australia"), not a misspelling. "Commission" / "Commision" (4.9 / 2.2),
"Babe" / "Bebe" (4.1 / 3.0) and "Mohammed" / "Mohamed" (3.8 / 3.6) are below it."""
ENGLISH_WORD = 3.0
"""A word capitalised only where it opens a sentence is taken for a name only if it is
rarer in English than this ("Postecolgou" 0, "Britsh" 1.3; "Traumatized" 3.3)."""
OPENING_WORD = 4.0
"""A sentence's first word this common ("The", "Another", "British") joins the name
after it only if the story writes it capitalised inside sentences too."""
MAX_INITIALS = 8
"""A word of capitals this long at most is initials ("CQC", "HMICFRS")."""

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_OPENERS = frozenset('.!?:"“‘(…—–•|*')
"""A word after one of these opens a sentence, a quotation or a clause: its capital
says nothing of a name. Not a semicolon: "on Monday; Bebe King, 6, ..." """


def _fold(word: str) -> str:
    """A word as compared: lower case, accents dropped ("Zoë" / "Zoe" and "Díaz" / "Diaz"
    are one form, never a misspelling), apostrophes one, a possessive gone."""
    if not word.isascii():
        word = "".join(
            c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
        ).replace("’", "'")
    word = word.lower()
    return word[:-2] if word.endswith("'s") else word


class _Token(NamedTuple):
    """A capitalised word of a claim, or a linking word ("of", "da") that may join two.
    A named tuple, not a dataclass: one is built for every such word of every distinct
    text of a feed, and a tuple is built several times faster."""

    key: str
    """The folded word (`_fold`): what is compared."""
    written: str
    start: int
    end: int
    capital: bool
    initials: bool
    opening: bool
    """Opens a sentence or a clause, or stands in a title-case claim."""
    leads: bool
    """Opens a sentence (not in title case) with a capitalised word joined after it."""
    joined: bool
    """Follows the token before it with only a space or a hyphen between."""
    possessive: bool


class _Words(NamedTuple):
    tokens: tuple[_Token, ...]
    """Capitalised words and linking words, in order."""
    lower: tuple[str, ...]
    """Every word written in lower case."""


@text_cache()
def _words(text: str) -> _Words:
    """A claim's words as the spelling detector reads them. A function of the text alone,
    so cached: a story's versions repeat most sentences word for word."""
    linking = domain.spelling().linking
    found = list(_WORD.finditer(text))
    written_words = [m.group() for m in found]
    # Title case ("Vauxhall To Close Luton Plant"): no word of four letters or more in
    # lower case, so its capitals say nothing of names. A sentence dense with names
    # ("led by Wyvern Police's Economic Crime Unit") still has its verbs in lower case.
    title_case = sum(len(w) > 3 for w in written_words) >= 3 and not any(
        w[0].islower() for w in written_words if len(w) > 3
    )
    lower = [w.lower() for w in written_words if not w[0].isupper()]
    tokens: list[_Token] = []
    kept = -2  # the index of the last word kept as a token
    # Most words are lower case and not linking words: only the rest are looked at.
    for i in [i for i, w in enumerate(written_words) if w[0].isupper() or w in linking]:
        written = written_words[i]
        start, end = found[i].span()
        capital = written[0].isupper()
        gap = text[found[i - 1].end() : start] if i else ""
        opening = title_case or not i or _opens(gap.strip())
        following = found[i + 1] if i + 1 < len(found) else None
        leads = bool(
            capital
            and opening
            and not title_case
            and following
            and written_words[i + 1][0].isupper()
            and text[end : following.start()] in (" ", "-")
        )
        # "Tottenham's", "Spurs'": the name ends there.
        possessive = written[-2:] in ("'s", "’s") or (
            written.endswith("s") and text[end : end + 1] in ("'", "’")
        )
        tokens.append(
            _Token(
                _fold(written),
                written,
                start,
                end,
                capital,
                capital and written.isupper() and 2 <= len(written) <= MAX_INITIALS,
                opening,
                leads,
                kept == i - 1 and gap in (" ", "-"),
                possessive,
            )
        )
        kept = i
    return _Words(tuple(tokens), tuple(lower))


@dataclass(frozen=True, slots=True)
class _Run:
    """A name as a claim's text writes it: capitalised words and the linking words between."""

    tokens: tuple[_Token, ...]
    keys: tuple[str, ...]
    """Its words as compared."""

    def written(self, text: str) -> str:
        """As the claim writes it, a possessive left off ("Dominic Solanke['s]")."""
        last = self.tokens[-1]
        end = last.end - 2 if last.possessive and last.written[-2:-1] in ("'", "’") else last.end
        return text[self.tokens[0].start : end]


@dataclass
class _Story:
    """The names the sources of one story write, by form."""

    sources: list[str]
    claims: dict[str, Claim]
    words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """A capitalised word (folded, lower case) -> the sources writing it."""
    inside: Counter[str] = field(default_factory=Counter)
    """How often a word is written capitalised inside a sentence (not opening one)."""
    lower: Counter[str] = field(default_factory=Counter)
    """How often a word is written in lower case."""
    leading: Counter[str] = field(default_factory=Counter)
    """How often a word opening a sentence is the first of capitalised words ("British
    Transport Police said"), outside title case."""
    initials: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    run_sources: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    """A name (its words as compared) -> the sources writing it."""
    written: dict[tuple[str, ...], list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    """A name -> each (claim id, as written) writing it."""
    by_text: dict[str, list[str]] = field(default_factory=dict)
    """A text -> the ids of the claims reading it word for word, in claim order."""
    token_uses: dict[str, list[tuple[str, _Token]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    """A word -> each (text, token) writing it, once per distinct text (see `uses`)."""

    def uses(self, key: str) -> list[tuple[str, _Token]]:
        """Each (claim id, token) writing a word: every claim of each text writing it."""
        return [(c, t) for text, t in self.token_uses[key] for c in self.by_text[text]]

    def named(self, key: str) -> bool:
        """Written capitalised inside sentences, and at least as often as in lower case;
        or never in lower case and opening a name of several words ("British Transport
        Police" where every version opens a sentence with it)."""
        if self.inside[key] > 0:
            return self.inside[key] >= self.lower[key]
        return self.leading[key] > 0 and not self.lower[key]

    def rare(self, writers: set[str]) -> bool:
        return len(writers) <= max(1, len(self.sources) // RARE_SHARE)

    def outnumbers(self, writers: set[str], slip: set[str]) -> bool:
        return len(writers - slip) >= MIN_OTHERS and len(writers) >= 2 * len(slip)


def _opens(gap: str) -> bool:
    """Whether the punctuation between two words opens what follows: a sentence, a
    quotation, a clause after a dash. A straight quotation mark opens only where it
    stands alone or after a full stop; after a comma it closes a quotation ('," Salah
    said')."""
    if not gap:
        return False
    if gap[-1] in "\"'" and len(gap) > 1:
        return gap[-2] in ".!?:"
    return gap[-1] in _OPENERS


def _read(sources: list[str], claims: Iterable[Claim]) -> _Story:
    """The names a story's claims write. Versions repeat most claims word for word, so
    each distinct text is read once and counted for every claim reading it: a count
    as often as its claims, a set of writers once per source."""
    story = _Story(sources, {})
    by_text = story.by_text
    writers: dict[str, set[str]] = {}
    for claim in claims:
        story.claims[claim.claim_id] = claim
        ids = by_text.get(claim.text)
        if ids is None:
            by_text[claim.text] = ids = []
            writers[claim.text] = set()
        ids.append(claim.claim_id)
        writers[claim.text].add(claim.source)
    read = {text: _words(text) for text in by_text}
    for text, ids in by_text.items():
        times, sources_of = len(ids), writers[text]
        tokens, lower = read[text]
        story.lower.update(lower * times)
        for t in tokens:
            if not t.capital:
                continue
            if t.initials:
                story.initials[t.written] |= sources_of
                continue
            story.words[t.key] |= sources_of
            story.token_uses[t.key].append((text, t))
            if not t.opening:
                story.inside[t.key] += times
            elif t.leads:
                story.leading[t.key] += times
    for text, ids in by_text.items():
        sources_of = writers[text]
        for run in _runs(story, read[text].tokens):
            # A name is also the same name after a capitalised word before it: the
            # "Deanna Heer" of "Prosecutor Deanna Heer" (a title opening a sentence)
            # is the "Deanna Heer" of "prosecutor Deanna Heer".
            for k in range(max(1, len(run.keys) - 1)):
                if k and not run.tokens[k].capital:
                    continue
                tail = _Run(run.tokens[k:], run.keys[k:])
                story.run_sources[tail.keys] |= sources_of
                written = tail.written(text)
                story.written[tail.keys].extend((c, written) for c in ids)
    return story


def _runs(story: _Story, tokens: tuple[_Token, ...]) -> Iterator[_Run]:
    """The names a claim writes: runs of capitalised words, bridged by linking words
    ("Office for National Statistics") and hyphens, broken by punctuation and after a
    possessive. A common word opening a sentence is no part of the name after it."""
    run: list[_Token] = []
    pending: list[_Token] = []

    def close() -> Iterator[_Run]:
        if run:
            yield _Run(tuple(run), tuple(t.key for t in run))
        run.clear()
        pending.clear()

    for t in tokens:
        if not t.joined or (run and run[-1].possessive and not pending):
            yield from close()
        if t.capital and not t.initials:
            if t.opening and zipf(t.key) >= OPENING_WORD and not story.named(t.key):
                yield from close()
                continue
            run.extend(pending)
            pending.clear()
            run.append(t)
        elif run and not t.capital:
            pending.append(t)
        else:
            yield from close()
    yield from close()


# --- what two spellings are --------------------------------------------------------------


def _swapped(a: str, b: str) -> bool:
    """One British and American fragment for the other, at one place (data/spelling.toml)."""
    for uk, us in domain.spelling().variants:
        at = a.find(uk)
        while at >= 0:
            if (
                b[:at] == a[:at]
                and b[at:].startswith(us)
                and b[at + len(us) :] == a[at + len(uk) :]
            ):
                return True
            at = a.find(uk, at + 1)
    return False


def _derived(a: str, b: str) -> bool:
    """One word made from the other by an ending (a plural, a people): "Texas" / "Texan".
    A letter doubled at the end ("Lovelesss") is a slip, not an ending."""
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    end_a, end_b = a[shared:], b[shared:]
    endings = domain.spelling().derivations | {""}
    if end_a not in endings or end_b not in endings:
        return False
    extra = end_a or end_b
    return not (shared and not (end_a and end_b) and extra == a[shared - 1] * len(extra))


def _misspelt(slip: str, name: str, in_name: bool) -> bool:
    """Whether word `slip` is word `name` misspelt: one or two slips of the keyboard for
    its length (`ONE_EDIT_LENGTH`, `TWO_EDIT_LENGTH`), the same first letter, and none
    of the ways two right words differ."""
    if slip[:1] != name[:1] or slip == name:
        return False
    shortest = min(len(slip), len(name))
    edits = OSA.distance(slip, name)
    if edits == 1:
        if shortest < (ONE_EDIT_IN_NAME if in_name else ONE_EDIT_LENGTH):
            return False
    elif edits == 2:
        if (
            shortest < TWO_EDIT_LENGTH
            or JaroWinkler.normalized_similarity(slip, name) < TWO_EDIT_SIMILARITY
        ):
            return False
    else:
        return False
    if zipf(slip) >= COMMON_WORD and zipf(name) >= COMMON_WORD:
        return False
    return not (_swapped(slip, name) or _derived(slip, name))


@text_cache()
def _sound(word: str) -> str:
    """How a word sounds, roughly: its first letter, then the rest with letters that
    sound alike written one way (data/spelling.toml `sounds`), a letter doubled once and
    the vowels left out ("deanna" and "dina": "dn")."""
    rest = word[1:]
    for pattern, replacement in domain.spelling().sounds:
        rest = pattern.sub(replacement, rest)
    return word[:1] + re.sub("[aeiou]", "", re.sub(r"(.)\1+", r"\1", word[:1] + rest)[1:])


def _sounds_alike(slip: str, name: str) -> bool:
    """Whether word `slip` is word `name` heard and written down again ("Dina" for
    "Deanna", a back-translation's or a dictation's slip, further apart than a slip of
    the keyboard): the same first letter and sound (`_sound`), and neither a common
    word. Only inside a name whose other words are written alike: the rest of the name
    says it is one person, where two short words alike in sound alone are as often two
    names ("Dina" / "Dana")."""
    if slip[:1] != name[:1] or slip == name:
        return False
    if max(zipf(slip), zipf(name)) >= COMMON_WORD:
        return False
    return _sound(slip) == _sound(name) and not _derived(slip, name)


def _jumbled(slip: str, initials: str) -> bool:
    """Initials with their letters in another order ("CCQ" for "CQC") or one doubled
    ("ROCCU"): other initials, however alike, are another body ("HMIC" / "HMIP")."""
    if slip == initials or len(initials) < 3:
        return False
    return sorted(slip) == sorted(initials) or re.sub(r"(.)\1+", r"\1", slip) == initials


# --- the slips of one story ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slip:
    """A form of a name one source writes (`slip`) for the form others write (`name`)."""

    slip: str
    name: str
    words: tuple[str, str]
    """The words that differ: one slip is reported once per source, as a word or as
    the name it stands in."""
    slip_uses: tuple[tuple[str, str], ...]
    """(claim id, as written) of every claim writing the slip."""
    name_uses: tuple[tuple[str, str], ...]
    severity: Severity
    why: str
    kind: str = NAME_VARIANT.name
    place: str = ""
    """For a region (`claim_altered`): the place it is given for, opening the subject."""


def _word_slips(story: _Story) -> Iterator[_Slip]:
    """Single words: a rare form a slip from a form several other sources write. Forms
    are compared in batches (rapidfuzz `process.cdist`), rare against common, of words
    with one first letter."""
    words = sorted(w for w in story.words if len(w) >= ONE_EDIT_IN_NAME)
    rare = [
        w
        for w in words
        if story.rare(story.words[w])
        and (story.named(w) or (zipf(w) < ENGLISH_WORD and not story.lower[w]))
    ]
    common = [w for w in words if len(story.words[w]) >= MIN_OTHERS and story.named(w)]
    # A slip keeps the first letter (`_misspelt`): only words opening alike are compared.
    by_letter: dict[str, list[str]] = defaultdict(list)
    for w in common:
        by_letter[w[0]].append(w)
    for letter, group in groupby(rare, key=itemgetter(0)):
        slips, names = list(group), by_letter.get(letter)
        if not names:
            continue
        distances = process.cdist(slips, names, scorer=OSA.distance, score_cutoff=2, workers=1)
        for i, j in zip(*(distances <= 2).nonzero(), strict=True):
            slip, name = slips[int(i)], names[int(j)]
            if (
                story.outnumbers(story.words[name], story.words[slip])
                and _misspelt(slip, name, in_name=False)
                and not _cut(story, slip, name)
            ):
                yield _Slip(
                    slip,
                    name,
                    (slip, name),
                    tuple((c, t.written) for c, t in story.uses(slip)),
                    tuple((c, t.written) for c, t in story.uses(name)),
                    "medium",
                    "the name is misspelled",
                )


def _cut(story: _Story, slip: str, name: str) -> bool:
    """The slip is the name cut short where its claims end: a stored text that stops
    mid-word ("Credit to Liverpo"), not a misspelling."""
    return name.startswith(slip) and all(
        t.end == len(story.claims[c].text) for c, t in story.uses(slip)
    )


def _name_slips(story: _Story) -> Iterator[_Slip]:
    """Names of several words alike but for one word: "Dominik Solanke" / "Dominic
    Solanke" (where "Dominik" alone is another player's name too), "Office of
    National Statistics" / "Office for National Statistics". Blocked by the name with
    one word left out: only names alike but for that word are compared."""
    swappable = domain.spelling().swappable
    blanks: dict[tuple[tuple[str, ...], int], set[tuple[str, ...]]] = defaultdict(set)
    for keys in story.run_sources:
        for i in range(len(keys) if len(keys) >= 2 else 0):
            blanks[((*keys[:i], "", *keys[i + 1 :]), i)].add(keys)
    written = story.written
    for (_blank, i), names in sorted(blanks.items()):
        for a, b in combinations(sorted(names), 2):
            for slip, name in ((a, b), (b, a)):
                slip_by, name_by = story.run_sources[slip], story.run_sources[name]
                if not story.rare(slip_by) or not story.outnumbers(name_by, slip_by):
                    continue
                if org_key(" ".join(slip)) == org_key(" ".join(name)):
                    continue  # a known alias
                severity: Severity = "medium"
                why = "the name is misspelled"
                if slip[i] in swappable and name[i] in swappable:
                    severity, why = "low", f"the name has {slip[i]!r} for {name[i]!r}"
                elif _misspelt(slip[i], name[i], in_name=True):
                    pass
                elif _sounds_alike(slip[i], name[i]) and not slip_by & name_by:
                    why = "the name is written as it sounds"
                else:
                    continue
                yield _Slip(
                    " ".join(slip),
                    " ".join(name),
                    (slip[i], name[i]),
                    tuple(written[slip]),
                    tuple(written[name]),
                    severity,
                    why,
                )


def _initial_slips(story: _Story) -> Iterator[_Slip]:
    """Initials jumbled ("CCQ" for "CQC"): low, as the body is still plain to read in a
    story that spells its initials right elsewhere (as a linking word swapped is)."""
    for slip, slip_by in sorted(story.initials.items()):
        if not story.rare(slip_by):
            continue
        for name, name_by in sorted(story.initials.items()):
            if _jumbled(slip, name) and story.outnumbers(name_by, slip_by):
                yield _Slip(
                    slip,
                    name,
                    (slip, name),
                    _initial_uses(story, slip),
                    _initial_uses(story, name),
                    "low",
                    "the initials are jumbled",
                )


def _initial_uses(story: _Story, initials: str) -> tuple[tuple[str, str], ...]:
    pattern = re.compile(rf"\b{re.escape(initials)}\b")
    return tuple((c, initials) for c, claim in story.claims.items() if pattern.search(claim.text))


def _former_slips(story: _Story, orgs: Iterable[OrgMention]) -> Iterator[_Slip]:
    """An organisation's former name (data/organisations.toml `[[former]]`) where other
    sources of the story use a later one: however unlike the two names are."""
    later: dict[str, set[str]] = defaultdict(set)
    for old, new in domain.organisations().former:
        later[org_key(old)].add(org_key(new))
    changed = True
    while changed:  # a name two renamings old: every later name counts
        changed = False
        for key, newer in later.items():
            more = set().union(*(later.get(n, set()) for n in newer)) - newer - {key}
            if more:
                newer |= more
                changed = True
    uses: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for o in orgs:
        if o.claim_id in story.claims:
            uses[o.key].append((o.claim_id, o.name))
    for old in sorted(k for k in uses if k in later):
        for new in sorted(later[old] & uses.keys()):
            # "Highways England (now National Highways)": a sentence naming both
            # tells of the renaming and uses no name out of date.
            telling = {c for c, _ in uses[new]}
            dated = tuple((c, w) for c, w in uses[old] if c not in telling)
            old_by = {_source(c) for c, _ in dated}
            if dated and {_source(c) for c, _ in uses[new]} - old_by:
                yield _Slip(
                    dated[0][1],
                    uses[new][0][1],
                    (old, new),
                    dated,
                    tuple(uses[new]),
                    "medium",
                    "a former name is used",
                )


def _bare(text: str, written: str) -> bool:
    """Whether a claim is the name alone, but for punctuation around it."""
    return text.strip(" .,:;-–—•*|\"'“”‘’") == written


# --- a place given another region ----------------------------------------------------------

_NAME_WORD = r"[A-Z][^\W_]*(?:[’'-][^\W_]+)*"


@table_cache
def _placed() -> re.Pattern[str]:
    """A place's name and the region a sentence puts it in: "Ellesmere Port on
    Merseyside", "its Ellesmere Port plant, in Cheshire", "Knock, Co Mayo". The region
    is one of data/spelling.toml `regions`, or any name after a `region_prefixes` word;
    it ends the name ("in Kent Police" gives no region)."""
    table = domain.spelling()

    def alternation(words: Iterable[str]) -> str:
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

    return re.compile(
        rf"(?<![\w’'])(?P<place>{_NAME_WORD}(?: {_NAME_WORD}){{0,3}})"
        rf"(?: (?:{alternation(table.place_nouns)}))?(?:,? (?:in|on) |, )"
        rf"(?P<region>(?:(?:{alternation(table.region_prefixes)}) {_NAME_WORD})"
        rf"|(?:{alternation(table.regions)}))(?![\w’'-]| [A-Z])"
    )


def _region_key(region: str) -> str:
    """A region as compared: "Co Mayo", "County Mayo" and "Mayo" are one."""
    first, _, rest = region.partition(" ")
    if rest and first in domain.spelling().region_prefixes:
        region = rest
    return region.casefold()


def _place_key(place: str) -> str:
    """A place as compared: common words opening it left out ("The Ellesmere Port")."""
    words = place.split()
    while len(words) > 1 and zipf(words[0].lower()) >= OPENING_WORD:
        words.pop(0)
    return " ".join(words).casefold()


@text_cache()
def _placements(text: str) -> tuple[tuple[str, str, str, str], ...]:
    """(place key, place name, region key, region as written) for each place a claim's
    text puts in a region (`_placed`). A function of the text alone, so cached: a
    story's versions repeat most sentences word for word."""
    found = []
    for m in _placed().finditer(text):
        place = m.group("place")
        if place.endswith(("'s", "’s")):
            continue  # "Vauxhall's plant in Cheshire": a body's, not a place's name
        key = _place_key(place)
        name = " ".join(place.split()[-len(key.split()) :])
        found.append((key, name, _region_key(m.group("region")), m.group("region")))
    return tuple(found)


def _region_slips(story: _Story) -> Iterator[_Slip]:
    """A place that most of the story's sources put in one region, and a rare source in
    another ("Ellesmere Port on Merseyside" where the others write "Ellesmere Port, in
    Cheshire"): medium `claim_altered`. A source that gives both regions for one place
    (a place of that name in each, a correction) misplaces nothing."""
    placed: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    # Texts in the order their first claims come: a place's name is as its first claim writes it.
    for text, ids in story.by_text.items():
        for key, name, region_key, region in _placements(text):
            names.setdefault(key, name)
            placed[key][region_key].extend((claim_id, region) for claim_id in ids)
    for key, regions in sorted(placed.items()):
        by = {r: {_source(c) for c, _ in uses} for r, uses in regions.items()}
        for slip, name in permutations(sorted(regions), 2):
            if (
                story.rare(by[slip])
                and story.outnumbers(by[name], by[slip])
                and not by[slip] & by[name]
            ):
                yield _Slip(
                    slip,
                    name,
                    (key, slip),
                    tuple(regions[slip]),
                    tuple(regions[name]),
                    "medium",
                    f"{names[key]} is placed in another region",
                    CLAIM_ALTERED.name,
                    names[key],
                )


def _source(claim_id: str) -> str:
    return claim_id.rpartition(":")[0]


def _rows(
    ctx: Context,
    story: _Story,
    slip: _Slip,
    seen: set[tuple[str, str, str]],
    fingerprints: dict[str, str],
) -> Iterator[Discrepancy]:
    """One row per source writing the slip: its first claim writing it beside the claim
    of another source writing the name that reads most like it (rapidfuzz
    `fuzz.token_set_ratio`). Ties go to the sentence, then the article, that sorts
    first by its text, never by its source's name, so that renaming a source changes
    no row; versions identical to the letter each give a row."""
    slip_by = sorted({_source(c) for c, _ in slip.slip_uses})
    others = sorted({(c, w) for c, w in slip.name_uses if _source(c) not in slip_by})
    if not others:
        return
    writers = len({_source(c) for c, _ in slip.name_uses})
    for source in slip_by:
        if (source, *slip.words) in seen:
            continue
        seen.add((source, *slip.words))
        claim_id, written = min((c, w) for c, w in slip.slip_uses if _source(c) == source)
        text = story.claims[claim_id].text
        # A claim that is the name alone (a heading, an outlet line) shows the editor
        # nothing beside the slip's sentence, yet `token_set_ratio` scores it as high
        # as any sentence holding the name: a sentence goes first.
        ranked = [
            (
                _bare(story.claims[c].text, w),
                -fuzz.token_set_ratio(text, story.claims[c].text),
                story.claims[c].text,
                fingerprints.get(_source(c), ""),
                c,
                w,
            )
            for c, w in others
        ]
        best = min(r[:4] for r in ranked)
        for *_key, other_id, other_written in (r for r in ranked if r[:4] == best):
            subject = " / ".join(sorted({written, other_written}))
            if slip.place:
                subject = f"{slip.place}: {subject}"
            a = Side(source, written, text, story.claims[claim_id].line, claim_id)
            other = story.claims[other_id]
            b = Side(other.source, other_written, other.text, other.line, other_id)
            yield make(
                slip.kind,
                slip.severity,
                subject,
                a,
                b,
                f"{subject}: {source} writes {written!r} where {writers} of the story's "
                f"{len(story.sources)} sources write {other_written!r} ({slip.why})",
                ctx,
            )


def misspelt_names(ctx: Context) -> Iterator[Discrepancy]:
    """Per story, the names each source writes compared with the others' (see the module
    docstring): a row for each form one source writes that is a slip from the name."""
    claims: dict[str, list[Claim]] = defaultdict(list)
    for claim in ctx.claims.values():
        if claim.kind != "quote":  # a quotation's words are in the sentence holding it
            claims[claim.source].append(claim)
    orgs: dict[str, list[OrgMention]] = defaultdict(list)
    for o in ctx.extraction.orgs:
        orgs[o.source].append(o)
    fingerprints = {
        a.source: hashlib.sha1("\n".join(p.text for p in a.paragraphs).encode()).hexdigest()
        for a in ctx.articles
    }
    for _story_id, sources in sorted(ctx.sources_by_story.items()):
        if len(sources) < MIN_OTHERS + 1:
            continue
        story = _read(sources, (c for s in sources for c in claims[s]))
        seen: set[tuple[str, str, str]] = set()
        for found in (
            _former_slips(story, (o for s in sources for o in orgs[s])),
            _initial_slips(story),
            # The whole name before its tail ("Superintendent Dominic Loveless", then
            # "Dominic Loveless"): one slip is reported once per source, as found first.
            sorted(_name_slips(story), key=lambda slip: -len(slip.slip.split())),
            _word_slips(story),
            _region_slips(story),
        ):
            for slip in found:
                yield from _rows(ctx, story, slip, seen, fingerprints)


DETECTORS = (Detector("misspelt_names", misspelt_names, (NAME_VARIANT, CLAIM_ALTERED)),)

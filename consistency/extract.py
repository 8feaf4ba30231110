"""Stage 4, extract: structured slots on claims.

- Organisations: "West Mercia Police", "West Midlands Regional Organised Crime Unit
  (ROCU)"; keys drop force suffixes and apply aliases (data/organisations.toml).
  Each article keeps a gazetteer of the names it introduced, so a later bare
  "Warwickshire" or "West Mercia" is recognised, and "the force", "the unit",
  "regions" refer back to the nearest organisation of that kind.
- People: a name with a title before it ("Temporary Chief Constable Alex Murray",
  "Assistant chief constable Becky Riggs") or after it ("Andy Cooke, HM Inspector
  of Constabulary,"). Title keys spell out abbreviations (data/titles.toml).
  A surname alone ("Murray", "Mr Campion") resolves to the article's full name.
- Quotes: each quote claim's written attribution resolved to a person: a named
  person in it, a pronoun (the last person named before), a role ("The PCC")
  held by a person the article named.
- Judgments: a grade word counts only in a sentence about grading (a cue such
  as "rated", "graded", "rating", "overall" just before it, or a "Subject -
  grade" line), not used as an
  adjective before a noun, and not denied ("missed out on an Outstanding
  rating"). Its subject is the nearest organisation before it (else after it);
  its aspect the nearest aspect named after it (else before, else the one the
  article is mostly about). Statements that grading happened without a named
  grade, or did not happen, become judgments with that status.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from . import domain
from .caching import table_cache, text_cache
from .claims import rating_line_subject
from .keys import is_title, name_key, org_key, title_grammar, title_key, untenured
from .literals import Guarded, whole_words
from .models import (
    Claim,
    CleanArticle,
    Extraction,
    GradeStatus,
    Judgment,
    OrgMention,
    PersonMention,
    Quote,
)
from .rarity import zipf

# Letters of names, accented ones included ("Zoë", "Łukasz"; Latin Extended-A mixes
# both cases, so it stands in both classes).
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"
_LOWER = "a-zß-öø-ÿĀ-ž"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?(?:[-'’][{_UPPER}][{_LOWER}]+)*"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_FULL_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}"
_NAME_RE = re.compile(_NAME)
_APOSTROPHE = re.compile("[’‘`´]")


class _TitlePatterns(NamedTuple):
    before: re.Pattern[str]
    """A known title (data/titles.toml) before a name, one word or more: "PCC Matthew Scott"."""
    phrase_before: re.Pattern[str]
    """A title phrase read from its place before a full name: up to four words and a head
    noun or known title, with an "of ORGANISATION" complement before a comma:
    "Deputy headteacher Jo Bloggs", "Chancellor Rachel Reeves", "the chief economist of
    the ONS, Grant Fitzner"."""
    apposed: re.Pattern[str]
    """A full name before an apposition (its title read by `_apposed_title`): "Name, ",
    "Name, 51, ", or no comma before a capitalised role word ("Paul Johnson Chief
    Medical Officer ... said")."""
    bare: re.Pattern[str]
    """A full name beside a speech verb."""


def _title_patterns() -> _TitlePatterns:
    titles = domain.titles().title_re
    grammar = title_grammar()
    heads = grammar.head_re
    verbs = domain.speech().verbs.pattern
    # A name never starts with a title word: "HM Inspector of Constabulary" is one
    # title, not the title "HM" before a person called "Inspector".
    not_title = rf"(?!{titles}|{heads})"
    name = rf"{not_title}(?P<name>{_NAME})(?!\w)"
    full_name = rf"{not_title}(?P<name>{_FULL_NAME})(?!\w)"
    capitalised = r"[A-Z][\w'’&.-]*"
    organisation = rf"{capitalised}(?:\s+(?:(?:of|and|for|&)\s+)?{capitalised}){{0,5}}"
    head = rf"(?:{titles}|{heads})"
    # Anchored on the head: the words before it are taken by `_MODIFIERS`, which is
    # cheaper than trying up to four words at every position of every claim.
    phrase_before = re.compile(
        rf"(?P<title>{head}"
        rf"(?:\s+(?:of|for|at|with)\s+(?:the\s+)?{organisation}(?=,))?),?\s+{full_name}"
    )
    role_word = rf"(?:{titles}|{heads})"
    apposed = re.compile(
        rf"(?P<name>{_FULL_NAME})(?:,\s+(?:aged\s+)?(?P<age>\d{{1,3}})(?=,))?"
        rf"(?:,\s+|\s+(?=[A-Z])(?={role_word}[\s,]))"
    )
    bare = re.compile(
        rf"(?P<name>{_FULL_NAME})(?:,)?\s+(?i:{verbs})|(?i:{verbs})\s+(?P<name2>{_FULL_NAME})"
    )
    # "Mr Justice Goose": a courtesy title and a head noun before a surname.
    before = re.compile(rf"(?P<title>{titles}(?:\s+{heads})?),?\s+{name}")
    return _TitlePatterns(before, phrase_before, apposed, bare)


# Compiled once, on first use, from the data files.
_patterns = table_cache(_title_patterns)


@table_cache
def _PERSON_CUE() -> re.Pattern[str]:  # noqa: N802 - a compiled constant, built lazily
    return re.compile(
        rf"{domain.titles().title_re}|(?i:{domain.speech().verbs.pattern})"
        rf"|{title_grammar().head_re}|,\s+(?:aged\s+)?\d{{1,3}},"
    )


class _Guards(NamedTuple):
    """The patterns most claims cannot match, each searched only in a claim holding one
    of the words it needs (`literals.Guarded`: the same matches, found cheaper)."""

    previous: Guarded
    grading_cue: Guarded
    graded_unnamed: Guarded
    not_graded: Guarded
    any_generic: Guarded
    cues: tuple[Guarded, ...]
    """The scales' cue words, in the order of `domain.scales().cues`."""
    themes: tuple[tuple[str, Guarded], ...]
    aspects: tuple[tuple[str, Guarded], ...]


@table_cache
def _guards() -> _Guards:
    scales = domain.scales()
    return _Guards(
        previous=Guarded(scales.previous),
        grading_cue=Guarded(scales.grading_cue),
        graded_unnamed=Guarded(scales.graded_unnamed),
        not_graded=Guarded(scales.not_graded),
        any_generic=Guarded(domain.organisations().any_generic),
        cues=tuple(Guarded(cue) for cue in scales.cues.values()),
        themes=tuple((name, Guarded(pattern)) for name, pattern in domain.theme_patterns()),
        aspects=tuple((name, Guarded(pattern)) for name, pattern in domain.aspects()),
    )


@text_cache()
def _org_kind(name: str) -> str:
    lowered = re.sub(r"\s*\([^)]*\)", "", name).lower()
    for suffix, kind in domain.organisations().suffix_kinds:
        if lowered.endswith(suffix):
            return kind
    return ""


class _Introduced(NamedTuple):
    """An organisation an article named: how it wrote the name, and the kind."""

    display: str
    kind: str


class _OrgFound(NamedTuple):
    """An organisation mention in a claim's text, a generic phrase ("the force") resolved.
    Ordered by position, as the tuples it replaces were."""

    start: int
    end: int
    display: str
    """As the report writes it; "" for a distributive phrase."""
    key: str
    kind: str
    distributive: bool = False
    """"each force", "both forces": every organisation of `kind` named before it, not
    one. Its `key` is then the kind (what a later phrase resolved through it refers to)."""


class _GradeMention(NamedTuple):
    start: int
    end: int
    grade: domain.Grade
    negated: bool


class _AspectMention(NamedTuple):
    start: int
    name: str


@dataclass
class _ArticleState:
    """What an article has introduced so far, read in order."""

    gazetteer: dict[str, _Introduced] = field(default_factory=dict)  # key -> (display, kind)
    mentions: list[tuple[int, str, str]] = field(default_factory=list)  # (claim no, key, kind)
    last_of_kind: dict[str, str] = field(default_factory=dict)  # kind -> its last mention's key
    people: dict[str, str] = field(default_factory=dict)  # surname -> full-name key
    roles: dict[str, str] = field(default_factory=dict)  # title key -> person key
    last_person: str = ""
    aspects: Counter[str] = field(default_factory=Counter)
    principal: str = ""


_PLACE_AFTER = re.compile(
    r"\s+(?:for|in|of)\s+(?:the\s+)?(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})"
)


@text_cache()
def _org_mentions(text: str) -> tuple[tuple[int, int, str, bool], ...]:
    """Organisation names as written in text: (start, end, name without a leading
    "The", whether it is a person's title instead)."""
    out = []
    mention_re = domain.organisations().mention_re
    for match in mention_re.finditer(text):
        start = match.start()
        name = re.sub(r"^The\s+(?=[A-Z])", "", match.group())
        # "Chief Inspector Gavin House of Dorset Police": a person holding a role at
        # the organisation, not part of its name.
        for connector in _CONNECTOR.finditer(name):
            head, tail = name[: connector.start()], name[connector.end() :]
            if mention_re.fullmatch(tail) and any(_is_role_word(w) for w in head.split()):
                start, name = match.end() - len(tail), tail
                break
        # "St Laurence's Church of England Primary School": the saint is in the name.
        prefix = _ORG_PREFIX().search(text, max(0, start - 8), start)
        if prefix is not None and start == match.start():
            start, name = prefix.start(), text[prefix.start() : match.end()]
        out.append((start, match.end(), name, is_title(name)))
    return tuple(out)


@table_cache
def _ORG_PREFIX() -> re.Pattern[str]:  # noqa: N802 - a compiled constant, built lazily
    """A word some organisations' names open with that the name pattern does not take
    (data/organisations.toml `name_prefixes`), right before where a name was found."""
    prefixes = domain.table("organisations.toml").get("name_prefixes", [])
    if not prefixes:
        return re.compile(r"(?!)")
    words = "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True))
    return re.compile(rf"(?<![\w'’])(?:{words})\s+\Z")


GenericPhrases = tuple[tuple[str, tuple[tuple[int, int, bool], ...]], ...]
"""Per kind of organisation, in the table's order, where a text says a generic phrase of
it: (start, end, whether the phrase is shared, "each force", "both services")."""


@text_cache()
def _generic_phrases(text: str) -> GenericPhrases:
    """Where text says a generic phrase ("the force"), the kinds it says none of left out.
    Kept per text: a rewrite repeats most of the sentences of the version it came from,
    and each kind's pattern was tried on every sentence holding any (one kind in six
    found on it)."""
    if _guards().any_generic.search(text) is None:
        return ()
    return tuple(
        (kind, spans)
        for pattern, kind in domain.organisations().generic
        if (
            spans := tuple(
                (m.start(), m.end(), m.group().lower().startswith(("each", "both")))
                for m in pattern.finditer(text)
            )
        )
    )


def _orgs_in(text: str, state: _ArticleState) -> list[_OrgFound]:
    """Organisation mentions in text: (start, end, display, key, kind), generics resolved."""
    orgs = domain.organisations()
    found: list[_OrgFound] = []
    # Where a name was found (one byte a character), so that each match is checked in
    # constant time: asking a list of spans at every match would be quadratic in a
    # claim naming thousands of organisations.
    taken = bytearray(len(text) + 1)
    for start, end, name, title in _org_mentions(text):
        if title:
            continue  # "HM Inspector of Constabulary" is a person's title, not a force
        name = _known_tail(name, state)
        kind = _org_kind(name)
        # "The Regional Organised Crime Unit (ROCU) for the West Midlands": the
        # place comes after a name that does not start with one.
        place = _PLACE_AFTER.match(text, end) if kind == "unit" else None
        if place and name.lower().startswith(("regional", "rocu")):
            name = f"{place.group('place')} {name}"
            end = place.end()
        key = org_key(name)
        if key in orgs.inspectorate_keys or not key:
            kind = "inspectorate"
        found.append(_OrgFound(start, end, name, key, kind))
        taken[start:end] = b"\1" * (end - start)
        if kind != "inspectorate":
            state.gazetteer.setdefault(key, _Introduced(name, kind))
    # Names the article introduced, now written bare ("Issues at West Mercia").
    lowered = text.lower()
    for key, (display, kind) in state.gazetteer.items():
        if key not in lowered:
            continue  # a substring test is far cheaper than the search it saves
        for start, end in whole_words(text, key):
            if not taken[start]:
                found.append(_OrgFound(start, end, display, key, kind))
                taken[start:end] = b"\1" * (end - start)
    for kind, spans in _generic_phrases(text):
        nearest = _Nearest(found, kind)
        for start, end, shared in spans:
            if taken[start]:
                continue
            referent = nearest.before(start) or state.last_of_kind.get(kind, "")
            if referent:
                if shared:
                    resolved = _OrgFound(start, end, "", kind, kind, True)
                else:
                    display = state.gazetteer.get(referent, _Introduced(referent, kind)).display
                    resolved = _OrgFound(start, end, display, referent, kind)
                found.append(resolved)
                nearest.resolved = resolved
    return sorted(found)


_CONNECTOR = re.compile(r"\s(?:of|for|at|by|in|on)\s+(?:the\s+)?")


def _known_tail(name: str, state: _ArticleState) -> str:
    """The organisation the article names elsewhere at the end of a longer capitalised run:
    a title-case headline's "Grading of West Mercia Police" is West Mercia Police."""
    for connector in _CONNECTOR.finditer(name):
        tail = name[connector.end() :]
        key = org_key(tail)
        if key in state.gazetteer and state.gazetteer[key].display != name:
            return tail
    return name


class _Nearest:
    """The organisation of one kind a generic phrase ("the force") at a position refers
    to within its claim: the last found before it, a generic one resolved earlier
    included (else the article's last mention of the kind, `last_of_kind`). Bisected,
    not sorted per phrase, so a claim of many mentions and phrases stays n log n."""

    def __init__(self, found: list[_OrgFound], kind: str) -> None:
        self.named = sorted(f for f in found if f.kind == kind)
        self.starts = [f.start for f in self.named]
        self.resolved: _OrgFound | None = None
        """The last phrase of this kind resolved: phrases are resolved in order."""

    def before(self, position: int) -> str:
        at = bisect.bisect_left(self.starts, position)
        named = self.named[at - 1] if at else None
        best = max((f for f in (named, self.resolved) if f is not None), default=None)
        return best.key if best is not None else ""


@text_cache()
def _has_person_cue(text: str) -> bool:
    return _PERSON_CUE().search(text) is not None


def _people_in(text: str, claim: Claim, state: _ArticleState) -> list[tuple[int, PersonMention]]:
    """People named in `text` (a claim's text or its written attribution), credited to `claim`."""
    found: dict[int, PersonMention] = {}
    # In the patterns' order, as found: a full name teaches the article its surname.
    for at, name, title, tkey in _named_people(text):
        key = _person_key(name, state)
        found[at] = PersonMention(claim.claim_id, claim.source, name, key, title, tkey)
    return sorted(found.items())


@text_cache()
def _named_people(text: str) -> tuple[tuple[int, str, str, str], ...]:
    """(position, name, title, title key) of each person text names, as the patterns
    find them; the same for every version that carries the text, so cached."""
    if not _has_person_cue(text):
        return ()  # every pattern needs a title, a role's head noun, an age or a speech verb
    patterns = _patterns()
    courtesy = domain.titles().courtesy
    out: list[tuple[int, str, str, str]] = []
    # Where a person was found (one byte a character), and the organisations' spans in
    # order (they never overlap), bisected: testing every span at every match would be
    # quadratic in a text naming thousands of people.
    taken = bytearray(len(text))
    apposed_at: dict[int, str] = {}  # where a name with an apposed title starts -> the name
    # "Tom Reddy, of Ashcombe Fire and Rescue Service": "Rescue Service" is no one.
    inside_orgs = [(start, end) for start, end, _name, _title in _org_mentions(text)]
    org_starts = [start for start, _ in inside_orgs]
    for pattern in (patterns.apposed, patterns.phrase_before, patterns.before, patterns.bare):
        for match in pattern.finditer(text):
            group = "name" if match.groupdict().get("name") else "name2"
            name = match.groupdict().get(group) or ""
            raw_title = match.groupdict().get("title") or ""
            end_at = match.end()
            begin = match.start()
            if pattern is patterns.phrase_before:
                begin = _modifiers_before(text, begin)
                raw_title = text[begin : match.end("title")]
            if pattern is patterns.apposed:
                apposed = _apposed_title(text, match.end())
                if apposed is None and not match.group("age"):
                    continue  # "Eddie Dempsey, commended the crew": no title, no age
                if apposed is not None:
                    raw_title = text[match.end() : apposed]
                    end_at = apposed
                    if not match.group().rstrip().endswith(",") and " " not in raw_title.strip():
                        continue  # "A Family Liaison Officer": no comma, one word, no title
            elif pattern is patterns.phrase_before and not _title_before_comma_ok(
                text, match, begin
            ):
                continue
            if not name:
                continue
            # "Councillor Janet Oduya, chair of the fire authority": the role before the
            # name counts beside the apposition, as a second mention.
            second = (
                pattern in (patterns.phrase_before, patterns.before)
                and apposed_at.get(match.start(group)) == name
            )
            if taken.find(1, begin, end_at) != -1 and not second:
                continue
            if domain.organisations().mention_re.fullmatch(name) or _org_kind(name):
                continue  # "West Midlands Police said": an organisation speaking
            start, end = match.span(group)
            org = bisect.bisect_right(org_starts, start) - 1
            if org >= 0 and end <= inside_orgs[org][1]:
                continue
            if name.split()[0] in ("The", "A", "An") or is_title(name):
                continue  # "The Chief Constable said": a role, resolved as a speaker
            name, start = _name_proper(text, name, start)
            if not name or all(_is_role_word(w) for w in name.split()):
                continue
            if pattern is patterns.phrase_before:
                raw_title = _title_proper(raw_title, begin, inside_orgs)
            title = raw_title.strip(" ,")
            first = title.split(" ", 1)
            if len(first) > 1 and first[0].lower() in title_grammar().determiners:
                title = first[1]  # "Name, the chief economist of the ONS,"
            if title.lower().strip(".") in courtesy or not title_key(title):
                title = ""
            if pattern is patterns.apposed and title:
                apposed_at[start] = name
            elif start in apposed_at:
                if title:
                    out.append((start, name, title, title_key(title)))
                continue
            out.append((begin, name, title, title_key(title) if title else ""))
            taken[begin:end_at] = b"\1" * (end_at - begin)
    return tuple(out)


_MODIFIER = re.compile(r"([A-Za-z0-9][\w'’&./-]*)\s+\Z")


def _modifiers_before(text: str, at: int) -> int:
    """Where a title phrase whose head stands at `at` starts: up to four words before
    it ("Deputy", "Unite regional", "Texas Lieutenant"), none of them a word no title
    holds ("the", "said", "and"), with nothing but spaces between them."""
    stop = title_grammar().not_in_titles
    for _ in range(4):
        word = _MODIFIER.search(text, max(0, at - 40), at)
        if word is None or word.group(1).lower() in stop:
            break
        if word.start() > 0 and (
            text[word.start() - 1].isalnum() or text[word.start() - 1] in "'’-"
        ):
            break
        at = word.start()
    return at


_OPENS_TITLE = re.compile(r"(?:^|[.!?:;\"“‘(]\s*|\b(?i:the)\s+|['’]s\s+)$")


def _title_before_comma_ok(text: str, match: re.Match[str], begin: int) -> bool:
    """A title phrase set off from the name after it by a comma ("the Chief Inspector,
    Charlie Taylor") is one only when it is a known title or opens its phrase (after
    "the", a possessive, or a sentence's start): "gusts at Mace Head, Co Galway" name
    no one."""
    title = text[begin : match.end("title")]
    if "," not in text[match.end("title") : match.start("name")] or is_title(title):
        return True
    return _OPENS_TITLE.search(text, max(0, begin - 6), begin) is not None


def _title_proper(title: str, at: int, orgs: list[tuple[int, int]]) -> str:
    """A title read before a name without the words in front that say where the role is
    held: an organisation's name ("West Midlands Police DS"), or words that are no
    role's ("Unite regional officer", "Yesterday council leader")."""
    if is_title(title):
        return title  # "Police and Crime Commissioner": no organisation in it
    courtesy = domain.titles().courtesy
    words = title.split()
    if len(words) > 1 and words[-1].lower().strip(".") in courtesy:
        # "Senior lecturer Dr Sarah Gerson": a title only if what precedes "Dr" is one.
        title = " ".join(words[:-1])
        if not re.search(rf"(?:{title_grammar().head_re}|{domain.titles().title_re})$", title):
            return ""
    for start, end in orgs:
        if start <= at < end < at + len(title):
            title = title[end - at :].lstrip()
            break
    grammar = title_grammar()
    words = title.split()
    while len(words) > 1 and not (
        words[0][:1].islower()
        or grammar.known.match(" ".join(words))
        or words[0].lower() in grammar.modifiers
        or _is_role_word(words[0])
        or _is_role_word(words[0].rstrip("."))  # "Lt. Gov.": an abbreviation's full stop
    ):
        words = words[1:]
    return " ".join(words)


def _is_role_word(word: str) -> bool:
    return word in domain.titles().role_words or word.lower() in title_grammar().heads


def _name_proper(text: str, name: str, start: int) -> tuple[str, int]:
    """A name as found without the words around it that are not the name: a title this
    file does not know in front ("Area Fire Officer Jo Bloggs"), a word such as "But"
    opening a sentence, a title after it with no comma ("Paul Johnson Chief Medical
    Officer"). Returns the name and where it starts ("" if nothing is left)."""
    words = name.split()
    stop = title_grammar().not_in_titles
    courtesy = domain.titles().courtesy
    while len(words) > 1 and (
        _is_role_word(words[0]) or words[0].lower() in stop or words[0].lower() in courtesy
    ):
        start = text.index(words[1], start + len(words[0]))
        rest = _NAME_RE.match(text, start)
        if rest is None:
            return "", start
        words = rest.group().split()
    cut = next((i for i, w in enumerate(words) if i >= 2 and _is_role_word(w)), len(words))
    return " ".join(words[:cut]), start


_APPOSED_END = re.compile(r"[,;:()\"“”!?\n]|\.(?:\s|$)")
_WORD = re.compile(r"[^\s,;:()\"“”!?]+")


def _apposed_title(text: str, at: int) -> int | None:
    """Where a title phrase standing at `at` after a name ends, or None if none stands
    there: "Name, TITLE, said", "Name, the X of Y,", "Name, TITLE said". The phrase
    ends at a comma or other stop, a speech verb or a word such as "who"; it is a
    title when, after an optional "the"/"a", up to five words lead to a head noun (or a
    known title) that ends the phrase or opens a complement ("of ...", "for ...")."""
    grammar = title_grammar()
    verbs = domain.speech().verbs
    stop = _APPOSED_END.search(text, at)
    limit = stop.start() if stop else len(text)
    words: list[re.Match[str]] = []
    for word in _WORD.finditer(text, at, limit):
        if verbs.fullmatch(word.group()) or len(words) > 16:
            break
        words.append(word)
    lowered = [w.group().lower().rstrip(".") for w in words]
    first = 0
    if lowered and (lowered[0] in grammar.determiners or lowered[0].endswith(("'s", "’s"))):
        first = 1
    known = grammar.known
    for i in range(first, min(len(words), first + 6)):
        if i > first and lowered[i - 1] in grammar.not_in_titles:
            return None  # "Name, who leads ...", "Name, and Home Secretary ..."
        role = known.match(text, words[i].start())
        head_end = i
        if role is not None:
            head_end = next((j for j in range(i, len(words)) if words[j].end() >= role.end()), i)
        elif lowered[i] not in grammar.heads:
            continue
        after = head_end + 1
        if after == len(words):
            return words[head_end].end()
        if lowered[after] in grammar.complement:
            return _complement_end(words, lowered, after)
        if role is not None and lowered[after] in grammar.heads:
            continue  # "Chief Executive Officer": the head comes later
    return None


def _complement_end(words: list[re.Match[str]], lowered: list[str], at: int) -> int | None:
    """Where a title's complement opened by words[at] ("of the RSPCA", "for children and
    education") ends: at the phrase's end, or before a word no title holds ("since")."""
    grammar = title_grammar()
    allowed = grammar.complement | {"the", "and", "&"}
    end = None
    named = False  # a capitalised name has been read: a lower-case word after it ends it
    lower_words = 0
    for j in range(at + 1, len(words)):
        word = words[j].group()
        if lowered[j] in grammar.not_in_titles and lowered[j] not in allowed:
            break
        if lowered[j] == "and" and j + 1 < len(words) and lowered[j + 1] in grammar.determiners:
            break  # "chief executive of the trust and a former nurse"
        if lowered[j] in allowed:
            continue
        if word[:1].isupper() or word[:1].isdigit():
            named = True
        elif named or lower_words >= 5:
            break  # "MP for Luton South posted on X": the sentence goes on
        else:
            lower_words += 1
        end = words[j].end()
    return end


def _person_key(name: str, state: _ArticleState) -> str:
    words = name.split()
    if len(words) >= 2:
        key = name_key(name)
        state.people.setdefault(words[-1].lower(), key)
        return key
    return state.people.get(name.lower(), name.lower())


def _learn_role(state: _ArticleState, person: PersonMention) -> None:
    """Remember who holds a role, under its full title and without "Temporary"/"Acting"."""
    if not person.title_key:
        return
    state.roles.setdefault(person.title_key, person.person_key)
    if untenured(person.title_key):
        state.roles.setdefault(untenured(person.title_key), person.person_key)


def _resolve_speaker(
    written: str, mentions: list[PersonMention], state: _ArticleState
) -> tuple[str, str, bool]:
    """(display name, key, named) of who a written attribution refers to.

    `named` is False when only a pronoun points to the person."""
    if mentions:
        person = mentions[-1]
        return person.name, person.person_key, True
    words = re.findall(r"[\w']+", written)
    speech = domain.speech()
    if words and words[-1].lower() in speech.pronouns and words[-1].lower() in ("he", "she"):
        return state.last_person, state.last_person, False
    role = title_key(re.sub(r"^(?:the|a|an)\s+", "", written.strip(), flags=re.IGNORECASE))
    if role in state.roles:
        return state.roles[role], state.roles[role], True
    surname = words[-1].lower() if words else ""
    if surname in state.people:
        return state.people[surname], state.people[surname], True
    # "the inspector said" after the article named one Chief Inspector: that person.
    holders = {p for title, p in state.roles.items() if role and f" {role} " in f" {title} "}
    if len(holders) == 1:
        holder = holders.pop()
        return holder, holder, True
    if re.match(r"(?:a|an)\s", written.strip(), re.IGNORECASE):
        # "A Government spokesman said:": no one named, so no one's words to compare.
        return written.strip(), "", False
    cleaned = re.sub(r"^(?:but|and|so|then|the)\s+", "", written.strip(), flags=re.IGNORECASE)
    # "Jo Bloggs, of the fire service": who spoke, not where they work; and a title
    # this file does not know ("Fire Officer Jo Bloggs") is not part of the name.
    words = cleaned.split(",")[0].split()
    while len(words) > 1 and words[0] in domain.titles().role_words:
        words = words[1:]
    cleaned = " ".join(words)
    if len(words) >= 2 and _NAME_RE.fullmatch(cleaned):
        return cleaned, _person_key(cleaned, state), True
    return cleaned, cleaned.lower(), True


def _article_scale(texts: Iterable[str]) -> str:
    """The grading scale whose cue words the article's claims use most."""
    names = tuple(domain.scales().cues)
    totals = dict.fromkeys(names, 0)
    for text in texts:
        for name, count in zip(names, _scale_cues(text), strict=True):
            totals[name] += count
    return max(totals, key=lambda name: (totals[name], name == "hmicfrs"))


@text_cache()
def _scale_cues(text: str) -> tuple[int, ...]:
    """How many cue words of each scale a text holds (cached: versions repeat claims)."""
    return tuple(len(cue.findall(text)) for cue in _guards().cues)


_ADJECTIVE_FOLLOWERS = re.compile(
    r"^\s+(?!rating|grade|grading|judg|overall|in\b|for\b|at\b|on\b|across\b|and\b|or\b|by\b|after\b|following\b|from\b|with\b|to\b|as\b|since\b|but\b|while\b|whilst\b|when\b|this\b|last\b)[a-z]"
)


def _grade_mentions(claim: Claim, scale: str) -> tuple[_GradeMention, ...]:
    """Grades in a claim that are used as grades: (start, end, grade, negated)."""
    return _grades_in(claim.text, claim.kind == "rating_line", scale)


# Cached by text: a story's versions repeat most claims word for word.
@text_cache()
def _grades_in(text: str, rating_line: bool, scale: str) -> tuple[_GradeMention, ...]:
    scales = domain.scales()
    if not rating_line and not _guards().grading_cue.search(text):
        return ()
    out = []
    for match in scales.grade_re.finditer(text):
        options = scales.wordings[match.group().lower()]
        grade = next((g for g in options if g.scale == scale), None)
        if grade is None:
            continue
        follower = text[match.end() :]
        quoted = text[match.start() - 1 : match.start()] in ("'", "“")
        if not quoted and _ADJECTIVE_FOLLOWERS.match(follower):
            continue  # "good work", "adequate resources": ordinary adjectives
        window = text[max(0, match.start() - 40) : match.start()]
        negated = bool(scales.negation.search(window))
        out.append(_GradeMention(match.start(), match.end(), grade, negated))
    return tuple(out)


@text_cache()
def _aspects_in(text: str) -> tuple[_AspectMention, ...]:
    read, spaces = _unglued(text)
    found = []
    for name, pattern in _guards().aspects:
        found += [
            # Back to the position in the text as written: less the spaces put in before.
            _AspectMention(m.start() - bisect.bisect_left(spaces, m.start()), name)
            for m in pattern.finditer(read)
        ]
    return tuple(sorted(found))


# A capitalised word run into the next where a page lost a line break ("Outstanding
# for Caringthis is testament"): a capital, then lower-case letters only.
_GLUED = re.compile(rf"(?<![\w'’-])[{_UPPER}][{_LOWER}]{{4,}}(?![\w'’-])")
GLUED_ZIPF = 3.0
"""How common (wordfreq's Zipf scale) each half of a run-together token must be for it
to be read as two words: "caring" and "this" are, the halves of a name seldom both."""


def _unglued(text: str) -> tuple[str, list[int]]:
    """The text with every token that is no English word but two common ones run
    together ("Caringthis": "Caring" and "this") split by a space, and where in the
    result the spaces were put. Only aspects are read from it: a grade keeps its aspect
    when the page lost the line break after it."""
    spaces: list[int] = []
    parts: list[str] = []
    done = 0
    for match in _GLUED.finditer(text):
        token = match.group()
        if zipf(token) > 0:
            continue
        splits = [(min(zipf(token[:i]), zipf(token[i:])), i) for i in range(3, len(token) - 1)]
        best, at = max(splits)
        if best < GLUED_ZIPF:
            continue
        parts += [text[done : match.start() + at], " "]
        done = match.start() + at
        spaces.append(done + len(spaces))
    if not spaces:
        return text, spaces
    return "".join([*parts, text[done:]]), spaces


def _aspects_for(
    position: int, next_grade: int, aspects: tuple[_AspectMention, ...], default: str
) -> list[str]:
    """Every aspect listed after a grade and before the next ("'adequate' in A, B and C")."""
    # Bisected, not scanned, so a claim naming thousands of grades and aspects stays fast.
    lo = bisect.bisect_right(aspects, position, key=_start)
    hi = bisect.bisect_left(aspects, next_grade, key=_start)
    after = list(dict.fromkeys(name for _, name in aspects[lo:hi]))
    if after:
        return after
    before = bisect.bisect_left(aspects, position, key=_start)
    return [aspects[before - 1].name if before else default]


_AS = re.compile(r"\b(?:as|to be)\s*['‘“\"]?\s*$", re.IGNORECASE)


def _aspects_named_as(
    text: str,
    mentions: Sequence[_GradeMention],
    index: int,
    aspects: tuple[_AspectMention, ...],
) -> list[str]:
    """The aspects a grade is given by "A as G": "We rated caring as outstanding,
    effective as good, and safe, responsive and well led as requires improvement"
    names each grade's aspects before it, since the last grade. Empty when the grade is
    not written that way."""
    start = mentions[index].start
    since = mentions[index - 1].end if index else 0
    if not _AS.search(text, since, start):
        return []
    lo = bisect.bisect_right(aspects, since, key=_start)
    hi = bisect.bisect_left(aspects, start, key=_start)
    return list(dict.fromkeys(name for _, name in aspects[lo:hi]))


def _start(found: _AspectMention) -> int:
    return found.start


def extract_article(article: CleanArticle, claims: Iterable[Claim]) -> Extraction:
    claims = list(claims)
    state = _ArticleState()
    scale = _article_scale(c.text for c in claims)
    published_year = _published_year(article.metadata)
    # Only themes can be an article's default aspect: count only them.
    body = " ".join(c.text for c in claims if c.kind != "quote")
    for name, pattern in _guards().themes:
        state.aspects[name] = len(pattern.findall(body))
    themed = [(count, name) for name, count in state.aspects.items() if count]
    default_aspect = max(themed)[1] if themed else "overall"
    scales = domain.scales()

    judgments: list[Judgment] = []
    people: list[PersonMention] = []
    quotes: list[Quote] = []
    orgs: list[OrgMention] = []
    # Headings such as "Warwickshire - requires improvement" name subjects that
    # the body then writes bare; learn them first.
    times_named: Counter[str] = Counter()  # organisation key -> claims naming it
    for claim in claims:
        times_named.update(
            f.key
            for f in _orgs_in(claim.text, state)
            if f.kind != "inspectorate" and not f.distributive
        )
    kinds = Counter(kind for _, kind in state.gazetteer.values() if kind)
    dominant_kind = kinds.most_common(1)[0][0] if kinds else ""
    for claim in claims:
        if claim.kind == "rating_line":
            subject = rating_line_subject(claim.text)
            key = org_key(subject)
            state.gazetteer.setdefault(
                key, _Introduced(subject, _org_kind(subject) or dominant_kind)
            )
    gazetteer = dict(state.gazetteer)
    # The organisation the article is about: what a graded sentence naming none
    # ("Personal development was judged outstanding") is about.
    principal = min(times_named, key=lambda key: -times_named[key]) if times_named else ""
    state = _ArticleState(gazetteer=gazetteer, aspects=state.aspects, principal=principal)

    earlier_paragraph = -1  # the paragraph whose last sentence was of an earlier inspection
    for number, claim in enumerate(claims):
        carried = earlier_paragraph == claim.paragraph and bool(scales.carried.match(claim.text))
        earlier_paragraph = (
            claim.paragraph if _of_earlier_inspection(claim.text, published_year) else -1
        )
        mentions = _people_in(claim.text, claim, state)
        for _, person in mentions:
            people.append(person)
            _learn_role(state, person)
        if claim.kind == "quote":
            written_mentions = [p for _, p in _people_in(claim.speaker, claim, state)]
            people.extend(written_mentions)
            for p in written_mentions:
                _learn_role(state, p)
            name, key, named = _resolve_speaker(claim.speaker, written_mentions, state)
            named_beside = named and not claim.speaker_carried
            quotes.append(Quote(claim.claim_id, claim.source, claim.text, name, key, named_beside))
            if key and " " in key:
                state.last_person = key
            continue
        if mentions:
            state.last_person = mentions[-1][1].person_key

        found = _orgs_in(claim.text, state)
        for f in found:
            if f.kind != "inspectorate" and not f.distributive:
                orgs.append(OrgMention(claim.claim_id, claim.source, f.display, f.key, f.kind))
        judgments += _judgments(
            claim, found, scale, default_aspect, gazetteer, state, published_year, carried
        )
        judgments += _status_statements(claim, found, scale, default_aspect, gazetteer, scales)
        introduced = [
            (number, f.key, f.kind)
            for f in found
            if f.kind != "inspectorate" and not f.distributive
        ]
        state.mentions += introduced
        state.last_of_kind.update((kind, key) for _, key, kind in introduced)
    return Extraction(tuple(judgments), tuple(people), tuple(quotes), tuple(orgs))


class _Subjects:
    """The subjects of the grades in one claim, asked in order of position: the last
    organisation (in the claim's order) that ends before a grade, else the first that
    starts after it. Kept as a pointer and a bisection: filtering every name for every
    grade would be quadratic in a claim listing thousands of both."""

    def __init__(self, found: list[_OrgFound], gazetteer: dict[str, _Introduced]) -> None:
        self.candidates = [f for f in found if f.kind != "inspectorate"]
        self.starts = [f.start for f in self.candidates]
        self.by_end = sorted(range(len(self.candidates)), key=lambda i: self.candidates[i].end)
        self.gazetteer = gazetteer
        self.ended = 0  # how many of by_end end at or before the last position asked
        self.last_before = -1
        self.position = -1

    def __call__(self, position: int) -> list[tuple[str, str]]:
        if position < self.position:
            self.ended, self.last_before = 0, -1
        self.position = position
        while self.ended < len(self.by_end):
            index = self.by_end[self.ended]
            if self.candidates[index].end > position:
                break
            self.last_before = max(self.last_before, index)
            self.ended += 1
        if self.last_before >= 0:
            chosen = self.candidates[self.last_before]
        else:
            after = bisect.bisect_left(self.starts, position)
            if after == len(self.candidates):
                return []
            chosen = self.candidates[after]
        if chosen.distributive:
            return [
                (f.display, f.key)
                for f in self.candidates
                if not f.distributive and f.kind in (chosen.kind, "") and f.start < chosen.start
            ]
        return [
            (self.gazetteer.get(chosen.key, _Introduced(chosen.display, "")).display, chosen.key)
        ]


_REFERS_BACK = re.compile(r"(?:it|its)\b", re.IGNORECASE)


def _carried_subject(claim: Claim, state: _ArticleState) -> list[tuple[str, str]]:
    """A sentence that opens with "It" ("It was rated adequate for ...") grades the
    organisation the article named last."""
    if claim.kind != "sentence" or not _REFERS_BACK.match(claim.text):
        return []
    for _number, key, kind in reversed(state.mentions):
        if kind != "inspectorate":
            return [(state.gazetteer.get(key, _Introduced(key, "")).display, key)]
    return []


def _principal(state: _ArticleState) -> list[tuple[str, str]]:
    if not state.principal:
        return []
    known = state.gazetteer.get(state.principal, _Introduced(state.principal, ""))
    return [(known.display, state.principal)]


def _judgments(
    claim: Claim,
    found: list[_OrgFound],
    scale: str,
    default_aspect: str,
    gazetteer: dict[str, _Introduced],
    state: _ArticleState,
    published_year: int | None = None,
    carried: bool = False,
) -> list[Judgment]:
    mentions = _grade_mentions(claim, scale)
    if not mentions:
        return []
    aspects = _aspects_in(claim.text)
    # An earlier-inspection cue counts for the grades after it. Searched once, not up to
    # each grade, which would be quadratic in a claim listing thousands. No cue phrase can
    # run into a grade word, so the first cue in the claim is the first before any grade.
    scales = domain.scales()
    cue = _guards().previous.search(claim.text)
    subjects_at = _Subjects(found, gazetteer)
    out = []
    for index, (start, end, grade, negated) in enumerate(mentions):
        next_grade = mentions[index + 1].start if index + 1 < len(mentions) else len(claim.text)
        previous = _earlier_grade(claim.text, mentions, index, cue, scales, published_year, carried)
        named_before = _aspects_named_as(claim.text, mentions, index, aspects)
        if named_before:
            graded_aspects = named_before
        elif index + 1 < len(mentions) and _aspects_named_as(
            claim.text, mentions, index + 1, aspects
        ):
            # The aspects up to the next grade are its own ("B as good"): this grade's
            # are the ones before it, as for a grade with nothing after it.
            graded_aspects = _aspects_for(end, end, aspects, default_aspect)
        else:
            graded_aspects = _aspects_for(end, next_grade, aspects, default_aspect)
        if claim.kind == "rating_line":
            subject = rating_line_subject(claim.text)
            key = org_key(subject)
            subjects = [(gazetteer.get(key, _Introduced(subject, "")).display, key)]
        else:
            subjects = subjects_at(start) or _carried_subject(claim, state) or _principal(state)
        for display, key in subjects:
            out += [
                Judgment(
                    claim.claim_id,
                    claim.source,
                    display,
                    key,
                    aspect,
                    scale,
                    "graded",
                    grade.official,
                    claim.text[start:end].lower(),
                    grade.official,
                    negated,
                    claim.in_quote,
                    previous,
                )
                for aspect in graded_aspects
            ]
    return out


def _earlier_grade(
    text: str,
    mentions: Sequence[_GradeMention],
    index: int,
    cue: re.Match[str] | None,
    scales: domain.Scales,
    published_year: int | None = None,
    carried: bool = False,
) -> bool:
    """Whether the `index`th grade of a claim is an earlier inspection's: the first of
    "from X to Y" (the second is the current one, whatever came before), a grade an
    earlier-inspection cue follows ("good at its last inspection"), or any grade after
    an earlier-inspection cue unless a word of the present ("now") comes between them.
    `carried`: the sentence goes on from one of an earlier inspection ("As a result,
    ..."), a cue before all its grades."""
    start, end = mentions[index].start, mentions[index].end
    later = mentions[index + 1] if index + 1 < len(mentions) else None
    if (
        later is not None
        and scales.transition_from.search(text, max(0, start - 40), start)
        and scales.transition_to.match(text[end : later.start])
    ):
        return True
    if index > 0:
        before = mentions[index - 1]
        if scales.transition_to.match(text[before.end : start]) and scales.transition_from.search(
            text, max(0, before.start - 40), before.start
        ):
            return False
    # A cue after the grade ("rated good at its last inspection", "inadequate in
    # 2017") speaks of that grade alone, not of the ones after it.
    after = scales.previous_after.match(text[end : later.start if later else len(text)])
    if after is not None:
        year = after.group("year")
        if year is None or (published_year is not None and int(year) < published_year):
            return True
    if carried and scales.current.search(text, 0, start) is None:
        return True
    if cue is None or cue.end() > start:
        return False
    return scales.current.search(text, cue.end(), start) is None


@text_cache()
def _of_earlier_inspection(text: str, published_year: int | None) -> bool:
    """Whether a sentence speaks of an earlier inspection: an earlier-inspection cue, or
    a year before the one the article is dated ("We published the report of this
    inspection in June 2017", in an article of 2019)."""
    if _guards().previous.search(text):
        return True
    return published_year is not None and any(
        int(year) < published_year for year in _YEAR.findall(text)
    )


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _published_year(metadata: Mapping[str, str]) -> int | None:
    """The year an article is dated, if its metadata says: a grade "in 2017" is an
    earlier inspection's only in an article of a later year."""
    found = _YEAR.search(metadata.get("published", ""))
    return int(found.group()) if found else None


@text_cache()
def _status_phrases(text: str) -> tuple[tuple[GradeStatus, re.Match[str] | None], ...]:
    """Where the text says its subject was graded without a grade, or not graded."""
    guards = _guards()
    return (
        ("graded_unnamed", guards.graded_unnamed.search(text)),
        ("not_graded", guards.not_graded.search(text)),
    )


def _status_statements(
    claim: Claim,
    found: list[_OrgFound],
    scale: str,
    default_aspect: str,
    gazetteer: dict[str, _Introduced],
    scales: domain.Scales,
) -> list[Judgment]:
    out = []
    for status, match in _status_phrases(claim.text):
        if not match:
            continue
        candidates = [f for f in found if f.kind not in ("inspectorate", "") and not f.distributive]
        # "graded judgments on how the unit ..." names its subject after the
        # phrase; "regions do not receive a grade" before it.
        near = (
            [f for f in candidates if f.start >= match.start()][:1]
            if status == "graded_unnamed"
            else [f for f in candidates if f.end <= match.end()][-1:]
        )
        for f in near:
            out.append(
                Judgment(
                    claim.claim_id,
                    claim.source,
                    gazetteer.get(f.key, _Introduced(f.display, "")).display,
                    f.key,
                    default_aspect,
                    scale,
                    status,
                    quoted=claim.in_quote,
                )
            )
    return out


def extract(articles: Iterable[CleanArticle], claims: Iterable[Claim]) -> Extraction:
    by_source: dict[str, list[Claim]] = {}
    for claim in claims:
        by_source.setdefault(claim.source, []).append(claim)
    return merge([extract_article(a, by_source.get(a.source, [])) for a in articles])


def merge(parts: Iterable[Extraction]) -> Extraction:
    """One extraction from the articles' own, in their order."""
    parts = list(parts)
    return Extraction(
        tuple(j for p in parts for j in p.judgments),
        tuple(x for p in parts for x in p.people),
        tuple(q for p in parts for q in p.quotes),
        tuple(o for p in parts for o in p.orgs),
    )


def entities_by_source(extraction: Extraction) -> dict[str, dict[str, frozenset[str]]]:
    """Source -> each person (full name) and organisation it names -> the claims naming it."""
    found: dict[str, dict[str, set[str]]] = {}
    for key, source, claim_id in [
        *(("person:" + p.person_key, p.source, p.claim_id) for p in extraction.people),
        *(("org:" + o.key, o.source, o.claim_id) for o in extraction.orgs),
    ]:
        if key.startswith("person:") and " " not in key:
            continue  # a surname alone
        found.setdefault(source, {}).setdefault(key, set()).add(claim_id)
    return {
        source: {key: frozenset(ids) for key, ids in keys.items()} for source, keys in found.items()
    }

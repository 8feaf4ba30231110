"""Word-by-word differences between two matched claims, for the compare stage.

Two versions of a claim are compared as sequences of word keys, so that the
benign edits syndication makes are not differences at all:

- case, curly and straight apostrophes, and punctuation are ignored;
- number words are their values ("Eleven" is "11");
- title abbreviations are spelled out ("PCC" is "police and crime commissioner",
  "HM" is "his majesty's"; data/titles.toml);
- spellings listed as equivalent are one word ("per cent" is "%", "organized" is
  "organised"; data/wording.toml).

Each token knows its zone: inside a quotation, in the attribution around one
("Temporary Chief Constable Murray said:"), or running text. Quotations and
attributions have their own detectors (quote_altered, quote_attribution,
speaker_title), so the claim-level detectors look only at running text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from rapidfuzz.distance import Indel

from . import domain
from .caching import TEXT_CACHE_SIZE, table_cache, text_cache

Zone = Literal["text", "quote", "attribution"]

_WORD = re.compile(r"[^\W_]+(?:['’.,][^\W_]+)*|[£$€%&]")


class Token(NamedTuple):
    # A named tuple, not a dataclass: claims make hundreds of thousands of tokens,
    # and a tuple is built several times faster.
    key: str
    start: int
    end: int
    zone: Zone
    capitalised: bool


@dataclass(frozen=True, slots=True)
class Hunk:
    """One difference: the tokens of `a` replaced by the tokens of `b` (either may be empty)."""

    a: tuple[Token, ...]
    b: tuple[Token, ...]
    a_at: int
    """Character offset in a where the hunk is (its start, or where words were inserted)."""
    b_at: int
    left: int
    """Shared tokens between this hunk and the one before (or the start)."""
    right: int
    """Shared tokens between this hunk and the one after (or the end)."""

    def text_a(self, text: str) -> str:
        return text[self.a[0].start : self.a[-1].end] if self.a else ""

    def text_b(self, text: str) -> str:
        return text[self.b[0].start : self.b[-1].end] if self.b else ""

    @property
    def zones(self) -> set[Zone]:
        return {t.zone for t in (*self.a, *self.b)}


@table_cache
def _expansions() -> dict[str, tuple[str, ...]]:
    """Abbreviation as written -> the words of its spelled-out form."""
    out = {}
    for short, long in domain.titles().expansions.items():
        if re.fullmatch(r"[A-Za-z]+", short):
            out[short] = tuple(_WORD.findall(long.lower().replace("’", "'")))
    return out


class _Segment(NamedTuple):
    start: int
    end: int
    zone: Zone


def _zones(text: str, in_quote: bool) -> list[_Segment]:
    """Spans of text by zone. A sentence that opens inside a quotation starts in it."""
    marks = [(m.start(), m.group()) for m in re.finditer("[“”]", text)]
    segments: list[_Segment] = []
    inside = in_quote and (not marks or marks[0][1] == "”")
    position = 0
    for at, mark in [*marks, (len(text), "")]:
        if at > position or not mark:
            segments.append(_Segment(position, at, "quote" if inside else "text"))
        inside = mark == "“"
        position = at + 1
    if not marks and not in_quote:
        return [_Segment(0, len(text), "text")]
    # Outside the quotation, the stretch that holds the speech verb is attribution.
    verbs = domain.speech().verbs
    has_quote = any(zone == "quote" for _, _, zone in segments)
    return [
        _Segment(
            a,
            b,
            "attribution" if zone == "text" and has_quote and verbs.search(text, a, b) else zone,
        )
        for a, b, zone in segments
    ]


@text_cache()
def word_keys(word: str) -> tuple[str, ...]:
    """How one written word is compared: "PCC" -> ("police", "and", "crime", "commissioner"),
    "Eleven" -> ("11",), "Force’s" -> ("force's",)."""
    expansions = _expansions()
    # Initialisms count only in capitals ("PC", not "pc"); "Supt" and "Ch" as written.
    expansion = expansions.get(word) or (
        expansions.get(word.capitalize()) if word[:1].isupper() and not word.isupper() else None
    )
    if expansion:
        return expansion
    key = word.lower().replace("’", "'")
    values = domain.lexicon().values
    return (str(values[key]),) if key in values else (key,)


@text_cache(TEXT_CACHE_SIZE // 4)
def tokenize(text: str, in_quote: bool = False) -> tuple[Token, ...]:
    zones = _zones(text, in_quote)
    if len(zones) == 1 and zones[0].start == 0 and zones[0].end == len(text):
        return _apply_equivalents(_tokens_in(text, zones[0].zone))
    zone_starts = [z.start for z in zones]
    raw: list[Token] = []
    for match in _WORD.finditer(text):
        word = match.group()
        at = bisect_right(zone_starts, match.start()) - 1
        zone: Zone = zones[at].zone if at >= 0 and match.start() < zones[at].end else "text"
        capitalised = word[:1].isupper()
        keys = word_keys(word)
        raw += [Token(k, match.start(), match.end(), zone, capitalised) for k in keys]
    return _apply_equivalents(raw)


def _tokens_in(text: str, zone: Zone) -> list[Token]:
    """`tokenize`'s tokens of a text all in one zone (most claims: no quotation marks),
    before equivalents: the same tokens, without finding each word's zone."""
    raw: list[Token] = []
    for match in _WORD.finditer(text):
        word = match.group()
        start, end = match.span()
        capitalised = word[:1].isupper()
        keys = word_keys(word)
        if len(keys) == 1:
            raw.append(Token(keys[0], start, end, zone, capitalised))
        else:
            raw += [Token(k, start, end, zone, capitalised) for k in keys]
    return raw


@table_cache
def _equivalents() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The equivalent spellings, keyed the way words are compared ("no one" -> ("no", "1"))."""
    return {
        tuple(k for word in phrase for k in word_keys(word)): canonical
        for phrase, canonical in domain.wording().equivalents.items()
    }


def _apply_equivalents(tokens: list[Token]) -> tuple[Token, ...]:
    equivalents = _equivalents()
    starts = _equivalent_starts()
    if starts.keys().isdisjoint([t.key for t in tokens]):
        return tuple(tokens)  # most claims: no word starts an equivalent phrase
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        # Most words start no equivalent phrase: look up longer windows only for those that do.
        longest = starts.get(tokens[i].key, 0)
        for size in range(min(longest, len(tokens) - i), 0, -1):
            window = tuple(t.key for t in tokens[i : i + size])
            replacement = equivalents.get(window)
            if replacement is not None:
                first, last = tokens[i], tokens[i + size - 1]
                out += [
                    Token(k, first.start, last.end, first.zone, first.capitalised)
                    for k in replacement
                ]
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


@table_cache
def _equivalent_starts() -> dict[str, int]:
    """First word of each equivalent phrase -> the longest phrase it starts."""
    starts: dict[str, int] = {}
    for phrase in _equivalents():
        starts[phrase[0]] = max(starts.get(phrase[0], 0), len(phrase))
    return starts


def diff(a: tuple[Token, ...], b: tuple[Token, ...]) -> list[Hunk]:
    """The differing stretches of two token sequences, with the shared words around each.
    A possessive is no difference ("International Paper's assurances" / "International
    Paper stating" differ in one word, held by three shared ones)."""
    ops = list(Indel.opcodes([_unpossessed(t.key) for t in a], [_unpossessed(t.key) for t in b]))
    hunks: list[Hunk] = []
    shared = 0
    k = 0
    while k < len(ops):
        op = ops[k]
        if op.tag == "equal":
            shared = op.src_end - op.src_start
            if hunks:
                last = hunks[-1]
                hunks[-1] = Hunk(last.a, last.b, last.a_at, last.b_at, last.left, shared)
            k += 1
            continue
        s0, d0, s1, d1 = op.src_start, op.dest_start, op.src_end, op.dest_end
        k += 1
        while k < len(ops) and ops[k].tag != "equal":
            s1, d1 = ops[k].src_end, ops[k].dest_end
            k += 1
        a_at = a[s0].start if s0 < len(a) else (a[-1].end if a else 0)
        b_at = b[d0].start if d0 < len(b) else (b[-1].end if b else 0)
        hunks.append(Hunk(a[s0:s1], b[d0:d1], a_at, b_at, shared, 0))
        shared = 0
    return hunks


def _unpossessed(key: str) -> str:
    return key[:-2] if key.endswith("'s") and len(key) > 3 else key


def shared_run_words(a: tuple[Token, ...], b: tuple[Token, ...], run: int = 3) -> int:
    """How many words of a lie in runs of `run` or more words that b has too, in order."""
    ops = Indel.opcodes([t.key for t in a], [t.key for t in b])
    return sum(
        op.src_end - op.src_start
        for op in ops
        if op.tag == "equal" and op.src_end - op.src_start >= run
    )


def shared_run_content(a: tuple[Token, ...], b: tuple[Token, ...], run: int = 3) -> int:
    """How many of a's content words lie in runs of `run` or more words that b has too:
    "It was also said to be ..." shared by two different sentences shares one."""
    ops = Indel.opcodes([t.key for t in a], [t.key for t in b])
    return sum(
        len(content_words(a[op.src_start : op.src_end]))
        for op in ops
        if op.tag == "equal" and op.src_end - op.src_start >= run
    )


def shared_run_share(a: tuple[Token, ...], b: tuple[Token, ...], run: int = 3) -> float:
    """Share of the shorter claim's words that lie in runs of `run` or more shared words."""
    shorter = min(len(a), len(b))
    return shared_run_words(a, b, run) / shorter if shorter else 0.0


def sandwiched(
    hunks: list[Hunk], context: int = 3, gap: int = 2, rewrites: bool = False
) -> list[Hunk]:
    """Hunks inside a run of changes held between `context` shared words on each side.

    For two claims that only partly match (a paraphrase), a change counts only
    where both versions say the same words around it: "has raised the force's
    performance in relation to serious and organised crimes" against "has raised
    the force's capabilities in handling serious and organised crimes". Runs of
    hunks separated by at most `gap` shared words are taken together, and a run
    holding a stretch of more than MAX_RUN_CHANGE words is a rewrite, not a change:
    with `rewrites`, the held hunks of such runs are returned instead.
    """
    out: list[Hunk] = []
    run: list[Hunk] = []
    for hunk in [*hunks, Hunk((), (), 0, 0, gap + 1, 0)]:  # the last run closed too
        if run and hunk.left > gap:
            held = run[0].left >= context and run[-1].right >= context
            rewritten = any(max(len(h.a), len(h.b)) > MAX_RUN_CHANGE for h in run)
            if held and rewritten == rewrites:
                out += run
            run = []
        run.append(hunk)
    return out


MAX_RUN_CHANGE = 5
"""A run of changes with a stretch longer than this on either side is a rewrite, not a
word changed between shared phrases."""


def polarity_only(hunk: Hunk) -> bool:
    """The hunk adds or removes a negation and nothing else that carries meaning.

    "has" / "does not have", "effective" / "not effective", "failed to improve" /
    "improved": with negations and auxiliaries taken out, the two sides are the
    same words (or one word in two inflections).
    """
    lexicon = domain.lexicon()
    words_a = " ".join(t.key for t in hunk.a)
    words_b = " ".join(t.key for t in hunk.b)
    negations_a, rest_a = _strip_negations(words_a, lexicon)
    negations_b, rest_b = _strip_negations(words_b, lexicon)
    rest_a = [w for w in rest_a if w not in lexicon.auxiliaries]
    rest_b = [w for w in rest_b if w not in lexicon.auxiliaries]
    if len(rest_a) != len(rest_b):
        return False
    flips = 0
    for x, y in zip(rest_a, rest_b, strict=True):
        if x == y or _same_stem(x, y):
            continue
        if {x, y} & lexicon.prefix_exceptions:
            return False
        if any(y == p + x or x == p + y for p in lexicon.negating_prefixes):
            flips += 1  # "able" / "unable", "effective" / "ineffective"
            continue
        return False
    return (negations_a + negations_b + flips) % 2 == 1


def _strip_negations(words: str, lexicon: domain.Lexicon) -> tuple[int, list[str]]:
    count = 0
    text = f" {words} "
    for form in lexicon.negation_forms:
        pattern = f" {form} "
        while pattern in text:
            text = text.replace(pattern, " ", 1)
            count += 1
        if form.startswith("n'") and form in text:
            # "didn't", "hasn't": the contraction is a negation beside its verb.
            count += text.count(form)
            text = text.replace(form, "")
    return count, text.split()


def same_stems(a: list[str], b: list[str]) -> bool:
    """Two word lists that differ only in inflection: "created" / "create"."""
    return len(a) == len(b) and all(_same_stem(x, y) for x, y in zip(a, b, strict=True))


def _same_stem(a: str, b: str) -> bool:
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 4 or (common >= 3 and min(len(a), len(b)) <= 4)


def squeezed(text: str) -> str:
    """Text with case, spaces, hyphens and punctuation gone: "Co-operative" -> "cooperative"."""
    return re.sub(r"[\W_]+", "", text.lower())


def initialism(name: str) -> str:
    """ "Crown Prosecution Service" -> "CPS" (small words such as "of" left out)."""
    small = {"of", "and", "for", "the", "&"}
    return "".join(w[0] for w in name.split() if w.lower() not in small).upper()


def content_words(tokens: tuple[Token, ...]) -> list[str]:
    """Words that carry meaning: not function words, numbers or negations (those have
    their own kinds)."""
    function_words = domain.wording().function_words
    negations = _single_word_negations()
    return [
        t.key
        for t in tokens
        if t.key not in function_words and t.key not in negations and not t.key.isdigit()
    ]


@table_cache
def _single_word_negations() -> frozenset[str]:
    lexicon = domain.lexicon()
    return lexicon.negations | {f for f in lexicon.negation_forms if " " not in f}


def negation_count(tokens: tuple[Token, ...]) -> int:
    """How many negations the running text (not quotations) of a claim holds."""
    words = " ".join(t.key for t in tokens if t.zone == "text")
    return _strip_negations(words, domain.lexicon())[0]


def is_name(tokens: tuple[Token, ...]) -> bool:
    """Every word is capitalised, bar function words ("of", "and"): a name, not common words."""
    function_words = domain.wording().function_words
    return any(t.capitalised for t in tokens) and all(
        t.capitalised or t.key in function_words for t in tokens
    )


_NAME_WORD = re.compile(r"[A-Z][\w'’&.-]*|of|and|for|the|&")


def name_around(text: str, start: int, end: int) -> str:
    """The whole capitalised name a changed stretch belongs to: "West Mercia [Police]"."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    inside = [i for i, (a, b) in enumerate(words) if a < end and start < b]
    if not inside:
        return ""
    first, last = inside[0], inside[-1]

    def capital(i: int) -> bool:
        word = text[words[i][0] : words[i][1]].strip(",.;:()“”\"'")
        return bool(_NAME_WORD.fullmatch(word))

    while first > 0 and capital(first - 1) and not _ends_clause(text, words[first - 1]):
        first -= 1
    while last + 1 < len(words) and capital(last + 1) and not _ends_clause(text, words[last]):
        last += 1
    name = text[words[first][0] : words[last][1]].strip(",.;:()“”\"' ")
    return re.sub(r"^(?:the|of|and|for)\s+|\s+(?:the|of|and|for)$", "", name, flags=re.I)


def _ends_clause(text: str, span: tuple[int, int]) -> bool:
    return text[span[1] - 1 : span[1]] in ",.;:)"


# What a changed word does to the meaning of a claim (data/meaning.toml): a word of
# one synonym group for another is no change; a quantifier or a modality of another
# rank changes the claim; any other content word replaced is a paraphrase.


@table_cache
def _meaning() -> dict[str, Any]:
    return domain._load("meaning.toml")


def meaning_table() -> dict[str, Any]:
    """data/meaning.toml as read (synonyms, quantifiers, modality, opposites, ...)."""
    return _meaning()


@table_cache
def _quantifier_ranks() -> dict[str, int]:
    return {str(k): int(v) for k, v in _meaning()["quantifiers"].items()}


@table_cache
def _modality_ranks() -> dict[str, int]:
    return {str(k): int(v) for k, v in _meaning()["modality"].items()}


def quantifier_ranks() -> dict[str, int]:
    """Quantifier -> its rank (data/meaning.toml)."""
    return _quantifier_ranks()


def modality_ranks() -> dict[str, int]:
    """Modal or status word -> its rank (data/meaning.toml)."""
    return _modality_ranks()


FACT = 3
"""The modality of a claim that has no modal or status word: it states a fact."""


@table_cache
def _synonym_groups() -> dict[tuple[str, ...], frozenset[int]]:
    """Content words of each synonym (as compared) -> the groups it belongs to."""
    out: dict[tuple[str, ...], set[int]] = {}
    groups = _meaning()["synonyms"]
    for i, group in enumerate(groups):
        for phrase in group:
            words = tuple(
                w for w in phrase.lower().split() if w not in domain.wording().function_words
            )
            out.setdefault(words, set()).add(i)
    return {k: frozenset(v) for k, v in out.items()}


def _lemmas(word: str) -> list[str]:
    """The forms a written word may be listed under: "jails" -> "jail", "surged" ->
    "surge", "trapping" -> "trap" (regular inflections only; irregular forms are
    listed in their group)."""
    word = word.removesuffix("'s").removesuffix("'")
    out = [word]
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
        ("es", ""),
        ("s", ""),
        ("d", ""),
        ("ly", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + replacement
            out.append(stem)
            if len(stem) > 3 and stem[-1] == stem[-2] and not replacement:
                out.append(stem[:-1])  # "trapped" -> "trapp" -> "trap"
    return out


def _groups_of(words: list[str]) -> frozenset[int]:
    """The synonym groups a run of content words (one phrase) belongs to."""
    if not words or len(words) > 3:
        return frozenset()
    table = _synonym_groups()
    found: set[int] = set()
    forms: list[tuple[str, ...]] = [()]
    for word in words:
        forms = [(*f, lemma) for f in forms for lemma in _lemmas(word)]
    for form in forms:
        found |= table.get(form, frozenset())
    return frozenset(found)


def synonymous(words_a: list[str], words_b: list[str]) -> bool:
    """Two runs of content words that say the same thing: one inflection of the same
    words, phrases of one synonym group ("take advantage of" / "leverage"), or word
    for word synonyms ("caught in" / "trapped in", "jail" / "prison")."""
    if same_stems(words_a, words_b):
        return True
    if _groups_of(words_a) & _groups_of(words_b):
        return True
    return len(words_a) == len(words_b) and all(
        x == y or _same_stem(x, y) or _groups_of([x]) & _groups_of([y])
        for x, y in zip(words_a, words_b, strict=True)
    )


def quantifier_change(hunk: Hunk) -> tuple[str, str] | None:
    """The quantifiers of two ranks the hunk's sides hold ("some" / "all", "many" /
    "most"), or None: two of one rank ("some" / "many") are a paraphrase."""
    ranks = _quantifier_ranks()
    side_a = [t.key for t in hunk.a if t.key in ranks]
    side_b = [t.key for t in hunk.b if t.key in ranks]
    if side_a and side_b and {ranks[w] for w in side_a} != {ranks[w] for w in side_b}:
        return " ".join(side_a), " ".join(side_b)
    return None


def modality(tokens: tuple[Token, ...]) -> int | None:
    """The least certain modality the tokens hold ("could" 1, "should" 2, "will" 3);
    None if they hold no modal or status word. "May" capitalised is the month; a word
    after "than" or "as" compares ("higher than expected", "as planned") and says
    nothing of how certain the claim is. Words are looked up in any regular
    inflection ("planning" is "plan")."""
    found = [
        rank
        for k, t in enumerate(tokens)
        if (rank := modal_rank(t.key)) is not None
        and not (t.key == "may" and t.capitalised)
        and not (k and tokens[k - 1].key in _comparatives())
    ]
    return min(found) if found else None


@text_cache()
def modal_rank(word: str) -> int | None:
    """A modal or status word's rank (data/meaning.toml), in any regular inflection."""
    ranks = _modality_ranks()
    return next((ranks[lemma] for lemma in _lemmas(word) if lemma in ranks), None)


@table_cache
def _comparatives() -> frozenset[str]:
    return frozenset(_meaning()["comparatives"])


MAX_STATUS_INSERT = 2
"""A status word added or dropped ("the [proposed] closure") with at most this many
words is a change of modality; a longer addition is a detail added."""


def modality_change(
    hunk: Hunk, before_a: tuple[Token, ...], before_b: tuple[Token, ...]
) -> tuple[str, str] | None:
    """The modal or status words that make one version less certain than the other
    ("could close" / "will close", "proposed closure" / "closure"), or None.

    A side without such a word in the hunk takes the modality of the words just
    before it ("could [potentially] close" is "could" on both sides); without any,
    it states a fact."""
    rank_a, rank_b = modality(hunk.a), modality(hunk.b)
    if rank_a is None and rank_b is None:
        return None
    if same_stems([t.key for t in hunk.a], [t.key for t in hunk.b]):
        return None  # "they expected" / "they expect": a tense, not a modality
    if (not hunk.a or not hunk.b) and len(hunk.a or hunk.b) > MAX_STATUS_INSERT:
        return None
    if rank_a is None:
        rank_a = modality(before_a) or FACT
    if rank_b is None:
        rank_b = modality(before_b) or FACT
    if rank_a == rank_b:
        return None
    return _modal_words(hunk.a) or "(stated as fact)", _modal_words(hunk.b) or "(stated as fact)"


def _modal_words(tokens: tuple[Token, ...]) -> str:
    return " ".join(t.key for t in tokens if modal_rank(t.key) is not None)


def antonym_pair(hunk: Hunk) -> tuple[str, str] | None:
    """A word on one side that the other side negates by a prefix ("sufficient" /
    "insufficient", "able" / "unable"), among other changed words."""
    for x in (t.key for t in hunk.a):
        for y in (t.key for t in hunk.b):
            if antonym_words(x, y):
                return x, y
    return None


@table_cache
def _opposites() -> frozenset[frozenset[str]]:
    return frozenset(frozenset(pair) for pair in _meaning()["opposites"]["pairs"])


@text_cache()
def _expanded(word: str) -> frozenset[str]:
    """A word's regular lemmas and every member of the synonym groups they belong to:
    "assisting" -> "assist", "support", "help", ... (one-word members only)."""
    lemmas = _lemmas(word)
    members = _group_members()
    out = set(lemmas)
    for group in _groups_of_lemmas(lemmas):
        out |= members[group]
    return frozenset(out)


@table_cache
def _group_members() -> dict[int, frozenset[str]]:
    out: dict[int, set[str]] = {}
    for words, groups in _synonym_groups().items():
        if len(words) == 1:
            for group in groups:
                out.setdefault(group, set()).add(words[0])
    return {k: frozenset(v) for k, v in out.items()}


def _groups_of_lemmas(lemmas: list[str]) -> frozenset[int]:
    table = _synonym_groups()
    found: set[int] = set()
    for lemma in lemmas:
        found |= table.get((lemma,), frozenset())
    return frozenset(found)


def opposite_words(x: str, y: str) -> bool:
    """Two words of opposite meaning (data/meaning.toml's opposites), in any regular
    inflection or, for one of the two, through a synonym: "assisting" is "supporting",
    the opposite of "leading"."""
    opposites = _opposites()
    listed = _opposite_words()
    lx, ly = _lemmas(x), _lemmas(y)
    if not (listed.intersection(lx) or listed.intersection(ly)):
        return False  # two synonyms of opposites ("earlier" / "following") are too far
    ex, ey = _expanded(x), _expanded(y)
    if ex & ey:
        return False  # synonyms of each other are no opposites ("close" / "shut")
    return any(frozenset((p, q)) in opposites for p in ex for q in ey)


def opposite_candidate(word: str) -> bool:
    """Whether a word can be one of two opposites: it or one of its synonyms is listed."""
    return bool(_expanded(word) & _opposite_words())


@table_cache
def _opposite_words() -> frozenset[str]:
    return frozenset(word for pair in _opposites() for word in pair)


def opposite_pair(hunk: Hunk) -> tuple[str, str] | None:
    """A word on one side whose opposite is on the other ("created" / "disbanded",
    "children" / "adults", "leading" / "assisting"): data/meaning.toml's opposites,
    any regular inflection or synonym."""
    for x in (t.key for t in hunk.a):
        for y in (t.key for t in hunk.b):
            if opposite_words(x, y):
                return x, y
    return None


def antonym_words(x: str, y: str) -> bool:
    """One word the other negated by a prefix ("sufficient" / "insufficient")."""
    lexicon = domain.lexicon()
    if {x, y} & lexicon.prefix_exceptions or min(len(x), len(y)) < 4:
        return False
    return any(y == p + x or x == p + y for p in lexicon.negating_prefixes)


@text_cache()
def senses(word: str) -> frozenset[str]:
    """What a content word can be matched on: its regular lemmas, and the synonym groups
    they belong to ("jailed" -> "jail", "#3", ...). Two words sharing a sense are one
    word, inflected or in other words."""
    lemmas = _lemmas(word)
    return frozenset(lemmas) | {f"#{g}" for g in _groups_of_lemmas(lemmas)}


@table_cache
def _superlatives() -> tuple[frozenset[str], frozenset[str], tuple[tuple[str, ...], ...]]:
    table = _meaning()["superlatives"]
    return (
        frozenset(table["words"]),
        frozenset(table["not_superlatives"]),
        tuple(tuple(word_keys_of(p)) for p in table["partitives"]),
    )


def word_keys_of(phrase: str) -> list[str]:
    """A phrase's words as compared ("one of" -> ["1", "of"])."""
    return [k for word in _WORD.findall(phrase) for k in word_keys(word)]


def superlative(word: str) -> bool:
    """A superlative adjective: listed ("best", "most"), or a word of six letters or more
    ending in "-est" that is not listed as no superlative ("interest", "protest")."""
    words, exceptions, _ = _superlatives()
    return word in words or (len(word) >= 6 and word.endswith("est") and word not in exceptions)


def partitive(before: tuple[Token, ...]) -> bool:
    """Whether the words before a superlative make it one of several ("one of the
    best", "among the biggest"): a partitive of data/meaning.toml, then "the" or a
    possessive, just before it."""
    _, _, partitives = _superlatives()
    keys = [t.key for t in before]
    while keys and keys[-1] in ("the", "its", "their", "his", "her", "our", "very"):
        keys.pop()
    return any(tuple(keys[-len(p) :]) == p for p in partitives if len(keys) >= len(p))


def partitive_written(text: str) -> bool:
    """Whether a text may hold a partitive ("one of", "among"): a quick test on the
    words as written, before any reading."""
    lowered = text.lower()
    return any(p in lowered for p in _partitive_phrases())


@table_cache
def _partitive_phrases() -> tuple[str, ...]:
    return tuple(_meaning()["superlatives"]["partitives"])


def is_hedged(tokens: tuple[Token, ...]) -> bool:
    """Whether the words hold a hedge: a modal or status word of a rank under a fact
    ("is thought to be", "likely", "could")."""
    rank = modality(tokens)
    return rank is not None and rank < FACT

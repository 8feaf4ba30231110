"""Stage 5, match: group articles into stories and pair claims that say the same thing.

Never all claims against all claims:

1. Blocking. Each claim is cut into word shingles (three canonical words). A
   claim pair becomes a candidate only if the claims share a shingle that fewer
   than `max_shingle_articles` articles contain (more, and it is a templated
   phrase such as a standard sign-off, which would chain unrelated stories) and
   no article carries in more than `max_shingle_claims` claims (more, and it is
   the article's own template, "... was rated good." down a list, which would
   pair every line of one version with every line of the other).
   A shingle in more articles is common: it makes no candidates here, but once the
   stories are found it pairs the claims holding it inside each story (step 4), so a
   story carried by more outlets than the cap is matched as in fewer.
   The join runs in polars. Then the article pairs the candidates span are put to
   consistency.stories' subject and date test (`stories.allowed`): a claim pair
   across two articles that subject or date part can never link them, so it is not
   scored, unless average linkage puts both articles in one story all the same (then
   it is scored after the stories are found). In a templated feed (one report's
   wording for forty forces) such pairs are nearly every candidate.
2. Scoring. Candidates are scored with rapidfuzz `fuzz.ratio` on canonical text
   (lower case, words only, see `keys.canonical_text`): one alignment, where
   `WRatio` tries several, and since both sides are already normalised no
   processor is needed (rapidfuzz 3 applies none by default; we pass
   `processor=None` to say so). Pairs at or above `claim_cutoff` match.
   Blocking and scoring also see each claim with its slots masked
   (`keys.masked_text`: numbers, dates, grade words as placeholders): a pair not
   matched as written in which a claim has a slot is scored again masked, and the
   better ratio decides, so a sentence with a number changed and a word rewritten
   still aligns with its counterpart and the number is then judged. Stories link
   on the ratio as written only.
3. Stories. Two articles are linked when they share at least
   `min_shared_claims` matched claims, or one matched claim of at least
   `long_claim_words` words, or one of at least `entity_claim_words` words
   when they also name `min_shared_entities` of the same people and
   organisations (a rewritten version keeps its names when it loses sentences).
   Linked articles are merged into stories by average linkage: two groups join
   only if at least `story_link_fraction` of the article pairs between them are
   linked, so one shared templated sentence cannot chain two stories together
   (connected components would).
   consistency.stories adds the links from what two articles are about (words
   weighted by rarity in the feed, subjects, publication dates) and drops links
   between different subjects or dates far apart.
4. Claim matches are kept only within a story, and so are the related pairs:
   those scoring from `related_cutoff` up to `claim_cutoff`, paraphrases in which
   compare looks for a word changed between shared phrases. The claim pairs held
   back in step 1 (across articles the subject and date test kept apart, or sharing
   only phrases too common to link) are scored now where one story holds both. A
   claim left without a counterpart in another source of its story is also related
   to a claim there sharing `related_word_share` of its weighted content words
   (`_counterparts`).

A feed too large for one machine is matched a part at a time. What the steps above
read of the whole feed (word and phrase counts, the subjects, the crowded subjects,
the counterpart search's word weights) is `FeedCounts`, counted over any cut of the
feed into whole articles (`count_part`, `merge_counts`, `subjects_of`,
`with_subjects`). The parts no story crosses are the connected candidate pairs that
subject and date allow (`parts`, or from each cut's `blocking_keys` by `parts_of`),
and each part, or any union of parts, matched with the feed's counts
(`match_claims(counts=)`) gives what the whole feed's matching gives inside it
(`joined` puts them together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

import networkx as nx
import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from . import domain, rarity, stories
from .keys import canonical_text, masked_text
from .linkage import average_linkage as average_linkage  # re-exported: tests, graph
from .models import Claim, ClaimMatch, Matching, Notice
from .rarity import ARTICLE_WORDS
from .settings import MASKED_SCORER, SCORER, WORDS_SCORER, MatchSettings


def _group(claim: Claim) -> str:
    # Quotations are matched with quotations, other claims with other claims:
    # a quote claim repeats the words of the sentence around it.
    return "quote" if claim.kind == "quote" else "text"


RARE_BLOCK = 1_000_000
"""(text, shingle) rows `_shared_phrases` counts articles and claims for at once."""


@dataclass(frozen=True)
class _Phrases:
    """What `_shared_phrases` finds: the claim pairs sharing a rare shingle, and the
    shingles too common to link stories, kept to pair claims inside one story."""

    shared: pl.LazyFrame
    """(claim, claim_b, pair), see `_shared_phrases`."""
    common: pl.LazyFrame
    """(set, text): each set of texts holding a shingle in more than
    `max_shingle_articles` articles (of one group, listed once however many shingles
    it holds), one row per text."""
    copies: pl.LazyFrame
    """(claim, source, text): each claim's text."""


def _shingled(
    claims: list[Claim],
    canon: list[str],
    settings: MatchSettings,
    masked: list[str] | None,
    code: dict[str, int],
) -> tuple[pl.DataFrame, pl.LazyFrame, pl.LazyFrame]:
    """The claims long enough to match cut into shingles (see `_shared_phrases`): their
    texts (group, words, text), each claim's text (claim, source, text; `source` its
    code) and each text's shingles (text, shingle)."""
    size = settings.shingle_words
    frame = (
        pl.DataFrame(
            {
                "claim": np.arange(len(claims), dtype=np.int64),
                "source": np.fromiter((code[c.source] for c in claims), np.int64, len(claims)),
                # 1 for quotations, 0 for other claims: an integer joins faster.
                "group": np.fromiter((_group(c) == "quote" for c in claims), np.uint8, len(claims)),
                "canon": canon,
                "words": canon if masked is None else masked,
            },
            schema={
                "claim": pl.Int64,
                "source": pl.Int64,
                "group": pl.UInt8,
                "canon": pl.String,
                "words": pl.String,
            },
        )
        .lazy()  # one plan: polars streams the steps instead of building each frame
        .filter(
            (pl.col("canon").str.len_chars() <= settings.max_claim_chars)
            & (pl.col("canon").str.count_matches(" ") + 1 >= settings.min_claim_words)
        )
        .select("claim", "source", "group", "words")
        .collect()
        .lazy()  # read twice below
    )
    # Exact repeats are one text: a sentence syndicated to a hundred outlets is cut into
    # shingles once, and each copy is tied to its text.
    texts = (
        frame.select("group", "words").unique(maintain_order=True).with_row_index("text").collect()
    )
    copies = (  # read three times below: joined once
        frame.join(texts.lazy(), on=["group", "words"]).select("claim", "source", "text").collect()
    ).lazy()
    word, text = pl.col("words"), pl.col("text")
    # Shifting the whole exploded column, not per text (`over` is far slower): a
    # shingle is kept only where its last word is still the same text's.
    shingles = (
        texts.lazy()
        .select("text", word.str.split(" "))
        .explode("words")
        .with_columns(
            pl.concat_str([word, *(word.shift(-k) for k in range(1, size))], separator=" ")
            .hash()
            .alias("shingle"),
            (text.shift(-(size - 1)) == text).alias("whole"),
        )
        .filter(pl.col("whole"))
        .select("text", "shingle")
        .unique()
        .collect()
        .lazy()
    )
    return texts, copies, shingles


def _shared_phrases(
    claims: list[Claim],
    canon: list[str],
    settings: MatchSettings,
    masked: list[str] | None,
    counted: pl.DataFrame | None = None,
) -> _Phrases:
    """(claim, claim_b, pair) for every two claims (claim < claim_b, different sources,
    same group) sharing a rare shingle, once per phrase set they share; `pair` is their
    articles' pair (smaller source code * sources + larger, codes in sorted order).
    Also the sets of texts sharing a common one (`_Phrases.common`).

    Shingles are cut from `masked` (`keys.masked_text`) when given, else from `canon`:
    two versions with a number changed every few words share masked phrases ("rose
    to #n in") where they share no plain one. Length limits apply to `canon`.

    Shingling, counting and the self-join all run in polars: no Python work per word.
    A shingle is the 64-bit hash of its words, so the joins compare integers, not
    strings. Two phrases whose hashes collide (about one chance in 10^7 for a
    million phrases) are counted as one: that can add a candidate, which scoring
    then judges, or make a phrase look templated. Claims of one group with the same
    words are one text, cut into shingles once (syndicated copies repeat most
    sentences word for word); a shingle's articles and claims are counted over every
    copy. The claims holding a shingle are its set, and shingles held by the same
    set are joined once: the consecutive shingles of one sentence repeated in a
    hundred articles are one set, and a templated feed's join would otherwise be
    most of its run.

    `counted` (`FeedCounts.shingles`): the claims are part of a feed, whose shingles
    are rare or common by their counts over the whole feed.
    """
    code = {source: i for i, source in enumerate(sorted({c.source for c in claims}))}
    texts, copies, shingles = _shingled(claims, canon, settings, masked, code)
    slices = max(1, shingles.select(pl.len()).collect().item() // RARE_BLOCK)
    if counted is None:
        counted = _shingle_counts(shingles, copies, slices, settings)
    rare = counted.filter(~pl.col("common")).select("shingle").lazy()
    common = counted.filter(pl.col("common")).select("shingle").lazy()
    # Quotations pair with quotations, other claims with other claims: a shingle's set
    # is cut by group (a text is of one group). Texts in order, so that equal sets are
    # listed alike and kept once (were two listed otherwise, their pairs would be
    # joined twice, and `unique` would still give each once); each text's copies then
    # make the set's claims.
    # A slice of hash values at a time, as above: a shingle's set is its own rows'. The
    # same set may come out of two slices; it is kept once over all of them.
    group = texts.lazy().select("text", "group")

    def text_sets(kept: pl.LazyFrame) -> pl.LazyFrame:
        return (
            pl.concat(
                [
                    shingles.filter(pl.col("shingle") % slices == part)
                    .join(kept, on="shingle")
                    .join(group, on="text")
                    .sort("text")
                    .group_by("shingle", "group")
                    .agg("text")
                    .select("text")
                    .unique()
                    .collect()
                    for part in range(slices)
                ]
            )
            .lazy()
            .unique()
            .with_row_index("set")
            .select("set", "text")
            .explode("text")
        )

    sets = (
        text_sets(rare)
        .join(copies, on="text")
        .select("set", "claim", "source")
        .collect()
        .lazy()  # the sets are small; the pairs they make are joined as each caller needs
    )
    low, high = pl.min_horizontal("source", "source_b"), pl.max_horizontal("source", "source_b")
    return _Phrases(
        shared=sets.join(sets, on="set", suffix="_b")
        .filter((pl.col("claim") < pl.col("claim_b")) & (pl.col("source") != pl.col("source_b")))
        .select("claim", "claim_b", (low * len(code) + high).alias("pair")),
        common=text_sets(common).collect().lazy(),
        copies=copies,
    )


def _shingle_counts(
    shingles: pl.LazyFrame,
    copies: pl.LazyFrame,
    slices: int,
    settings: MatchSettings,
    kept: bool = True,
) -> pl.DataFrame:
    """(shingle, common): each shingle (text, shingle) of some texts (copies: claim,
    source, text) found in two articles or more and in no article's more than
    `max_shingle_claims` claims, and whether it is in more than `max_shingle_articles`
    articles. Unless `kept`: (shingle, articles, most), each shingle's articles and the
    most claims an article has it in, for every shingle (`kept_shingles` of the
    counts of a feed's parts summed)."""
    # A shingle's articles and claims per article, over every copy of its texts: one
    # row per shingle, text and source first (14 million at 20,000 articles). Shingles
    # are counted a slice of hash values at a time, each slice's counts being whole:
    # all at once they took 0.8 GB.
    held = copies.group_by("text", "source").agg(pl.len().alias("claims")).collect().lazy()
    return pl.concat(
        [
            kept_shingles(counted, settings) if kept else counted.collect()
            for counted in (
                shingles.filter(pl.col("shingle") % slices == part)
                .join(held, on="text")
                .group_by("shingle", "source")
                .agg(pl.col("claims").sum())
                .group_by("shingle")
                .agg(pl.len().alias("articles"), pl.col("claims").max().alias("most"))
                for part in range(slices)
            )
        ]
    )


def kept_shingles(counted: pl.LazyFrame, settings: MatchSettings) -> pl.DataFrame:
    """(shingle, common) of (shingle, articles, most), see `_shingle_counts`."""
    # A shingle in more articles than `max_shingle_articles` is common: it links no
    # stories (a templated phrase would chain them), but once the stories are found it
    # still pairs claims inside one (`_within_stories`): a wire story carried by more
    # outlets than that is matched as it is in fewer.
    return (
        counted.filter((pl.col("articles") >= 2) & (pl.col("most") <= settings.max_shingle_claims))
        .select("shingle", (pl.col("articles") > settings.max_shingle_articles).alias("common"))
        .collect()
    )


def _within_stories(phrases: _Phrases, story_of_source: np.ndarray) -> pl.LazyFrame:
    """(claim, claim_b) for the claim pairs (claim < claim_b, different sources, one
    story) sharing a common shingle (`_Phrases.common`), once per set they share.
    `story_of_source`: each source code's story."""
    story = pl.DataFrame(
        {"source": np.arange(len(story_of_source), dtype=np.int64), "story": story_of_source},
        schema={"source": pl.Int64, "story": pl.Int64},
    ).lazy()
    # A set's copies split by story: a templated phrase in a thousand stories pairs
    # each story's few versions, never the thousand with one another.
    held = (
        phrases.common.join(phrases.copies, on="text")
        .join(story, on="source")
        .select("set", "story", "claim", "source")
        .collect()
        .lazy()
    )
    return (
        held.join(held, on=["set", "story"], suffix="_b")
        .filter((pl.col("claim") < pl.col("claim_b")) & (pl.col("source") != pl.col("source_b")))
        .select("claim", "claim_b")
    )


def _once_in_order(pairs: pl.LazyFrame, claims: int) -> pl.DataFrame:
    """(claim, claim_b) of `pairs`, each pair once, in order. `claims`: how many claims
    there are."""
    # One integer per pair: `unique` on one column is several times faster than on two.
    packed = pl.col("claim") * claims + pl.col("claim_b")
    return (
        pairs.select(packed.alias("packed"))
        .unique()
        .sort("packed")
        .select(
            (pl.col("packed") // claims).alias("claim"),
            (pl.col("packed") % claims).alias("claim_b"),
        )
        .collect()
    )


def _pairs_of(
    shared: pl.LazyFrame, claims: int, articles: np.ndarray | None = None
) -> pl.DataFrame:
    """The claim pairs of `shared` (`_shared_phrases`), or those whose article pair is
    among `articles`, once each, in order. `claims`: how many claims there are."""
    return _once_in_order(shared if articles is None else _of_articles(shared, articles), claims)


def _of_articles(shared: pl.LazyFrame, articles: np.ndarray) -> pl.LazyFrame:
    """(claim, claim_b) of the pairs of `shared` whose article pair is among `articles`."""
    return shared.filter(
        pl.col("pair").is_in(pl.Series(articles, dtype=pl.Int64).implode())
    ).select("claim", "claim_b")


def candidate_pairs(
    claims: list[Claim], canon: list[str], settings: MatchSettings, masked: list[str] | None = None
) -> pl.DataFrame:
    """Claim index pairs (i < j, different sources, same group) that share a rare shingle
    (see `_shared_phrases`), in order."""
    return _pairs_of(_shared_phrases(claims, canon, settings, masked).shared, len(claims))


def all_pairs(claims: list[Claim], canon: list[str], settings: MatchSettings) -> pl.DataFrame:
    """Every claim index pair (i < j, different sources, same group) long enough to match:
    the unblocked pipeline, for checking that blocking loses nothing on small feeds.
    `match_claims` then keeps, as blocking does, only pairs that share a phrase."""
    source = np.array([c.source for c in claims], dtype=object)
    group = np.array([_group(c) for c in claims], dtype=object)
    long_enough = np.array(
        [
            len(text.split()) >= settings.min_claim_words and len(text) <= settings.max_claim_chars
            for text in canon
        ]
    )
    first: list[np.ndarray] = []
    second: list[np.ndarray] = []
    for i in np.flatnonzero(long_enough):
        later = np.flatnonzero(
            long_enough[i + 1 :] & (source[i + 1 :] != source[i]) & (group[i + 1 :] == group[i])
        )
        first.append(np.full(len(later), i, dtype=np.int64))
        second.append(later + i + 1)
    empty = np.empty(0, dtype=np.int64)
    return pl.DataFrame(
        {
            "claim": np.concatenate(first) if first else empty,
            "claim_b": np.concatenate(second) if second else empty,
        }
    )


def _share_phrase(a: str, b: str, settings: MatchSettings) -> bool:
    size = settings.shingle_words

    def phrases(text: str) -> set[tuple[str, ...]]:
        words = text.split()
        return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}

    return bool(phrases(a) & phrases(b))


@dataclass(frozen=True)
class FeedCounts:
    """What matching counts over the whole feed, for matching a part of it (whole
    stories, `parts`) exactly as the whole feed matches it (`match_claims(counts=)`):
    a word's weight and whether a phrase is rare depend on every article, not on the
    part's alone. `feed_counts` takes them from the whole feed."""

    words: stories.FeedWords
    """The story stage's counts."""
    shingles: pl.DataFrame
    """(shingle, common): the phrases that link or pair claims (`_shingle_counts`)."""
    stems: pl.DataFrame
    """(word, weight): what each content word weighs in the counterpart search."""


def _read_claims(claims: Iterable[Claim]) -> tuple[list[Claim], list[str], list[str], list[str]]:
    """The claims in claim id order, each one's canonical and masked text, and the
    sources, sorted."""
    ordered = sorted(claims, key=lambda c: c.claim_id)
    canon = [canonical_text(c.text) for c in ordered]
    masked = [masked_text(c.text) for c in ordered]
    return ordered, canon, masked, sorted({c.source for c in ordered})


@dataclass(frozen=True)
class PartCounts:
    """What matching counts of some whole articles of a feed (`count_part`). Over any cut
    of a feed into such parts, they add up to the whole feed's (`merge_counts`), so an
    engine can count a feed too large for one machine a part at a time."""

    sources: tuple[str, ...]
    """The articles counted, by source."""
    words: pl.DataFrame
    """`stories.word_counts`."""
    shingles: pl.DataFrame
    """(shingle, articles, most): each shingle's articles and the most claims an article
    holds it in (`_shingle_counts`)."""
    stems: StemCounts | None
    """The counterpart search's counts, None when no claim is long enough."""


def count_part(
    claims: Iterable[Claim],
    settings: MatchSettings | None = None,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
) -> PartCounts:
    """What matching counts of `claims`, every claim of some whole articles of a feed."""
    settings = settings or MatchSettings()
    ordered, canon, masked, sources = _read_claims(claims)
    code = {source: i for i, source in enumerate(sources)}
    _, copies, shingles = _shingled(ordered, canon, settings, masked, code)
    slices = max(1, shingles.select(pl.len()).collect().item() // RARE_BLOCK)
    source_of = np.fromiter((code[c.source] for c in ordered), np.int64, len(ordered))
    keep = _counted_claims(ordered, canon, settings)
    none = pl.DataFrame(schema={"claim": pl.Int64})
    story = np.zeros(len(ordered), np.int64)  # stories do not matter to the counts
    return PartCounts(
        tuple(sources),
        stories.word_counts(sources, ordered, entities or {}),
        _shingle_counts(shingles, copies, slices, settings, kept=False),
        _stem_weights(canon, keep, story, source_of, none, settings)[0] if len(keep) else None,
    )


def merge_counts(
    parts: Iterable[PartCounts],
    settings: MatchSettings | None = None,
    shingles: pl.DataFrame | None = None,
) -> FeedCounts:
    """The whole feed's counts from those of its parts (`count_part`), but for the
    subjects, which need them: `subjects_of` each part, then `with_subjects`.
    `shingles`: the phrases that link (`kept_shingles` of the parts' phrase counts
    summed), when an engine has summed them itself; the parts' own are then not read."""
    settings = settings or MatchSettings()
    parts = list(parts)
    if not parts:
        raise ValueError("merge_counts: no parts to merge (an empty feed is one empty part)")
    counted = sum(len(p.sources) for p in parts)
    if counted != len({s for p in parts for s in p.sources}):
        raise ValueError("merge_counts: an article is in two parts, and would count twice")
    words = stories.merge_words([p.words for p in parts], counted)
    if shingles is None:
        shingles = kept_shingles(
            pl.concat([p.shingles for p in parts])
            .lazy()
            .group_by("shingle")
            .agg(pl.col("articles").sum(), pl.col("most").max()),
            settings,
        )
    stem_counts = [p.stems for p in parts if p.stems is not None]
    stems = (
        _stem_table(stem_counts, settings)
        if stem_counts
        else pl.DataFrame(schema={"word": pl.String, "weight": pl.Float64})
    )
    return FeedCounts(words, shingles, stems)


def subjects_of(
    claims: Iterable[Claim],
    counts: FeedCounts,
    settings: MatchSettings | None = None,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
) -> tuple[pl.Series, pl.DataFrame]:
    """The subjects of some whole articles of a feed (`stories.subject_words`), read with
    the feed's counts (`merge_counts`)."""
    settings = settings or MatchSettings()
    ordered, _, _, sources = _read_claims(claims)
    feed = stories.read_feed(sources, ordered, settings, entities, None, counts.words)
    return stories.subject_words(feed)


def with_subjects(
    counts: FeedCounts, found: Iterable[tuple[pl.Series, pl.DataFrame]]
) -> FeedCounts:
    """`counts` with the subjects `subjects_of` found in each part of the feed."""
    return replace(counts, words=stories.with_subject_words(counts.words, list(found)))


def feed_counts(
    claims: Iterable[Claim],
    settings: MatchSettings | None = None,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
) -> FeedCounts:
    """The counts over a whole feed's claims that its parts are matched with: the feed
    counted as one part."""
    claims = list(claims)
    counts = merge_counts([count_part(claims, settings, entities)], settings)
    return with_subjects(counts, [subjects_of(claims, counts, settings, entities)])


def parts(
    claims: Iterable[Claim],
    settings: MatchSettings | None = None,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    published: Mapping[str, str] | None = None,
) -> list[tuple[str, ...]]:
    """The feed's sources in groups no story crosses, each sorted, in order of their
    first: the connected parts of the article pairs blocking makes candidates (sharing
    a rare phrase, an indexed word or a crowded subject) that subject and date allow.
    Every link of the story stage is such a pair, and average linkage never merges
    across them, so each part matched alone with the whole feed's counts
    (`match_claims(counts=feed_counts(...))`) gives the whole feed's stories and
    matches inside it (`joined`). Under `blocking=False` every pair is a candidate: the
    feed is one part."""
    settings = settings or MatchSettings()
    ordered, canon, masked, sources = _read_claims(claims)
    if not settings.blocking:
        return [tuple(sources)] if sources else []
    feed = stories.read_feed(sources, ordered, settings, entities, published)
    shared = _shared_phrases(ordered, canon, settings, masked).shared
    articles = shared.select("pair").unique().sort("pair").collect()["pair"].to_numpy()
    first, second = articles // len(sources), articles % len(sources)
    ok = stories.allowed(feed, first, second)
    a, b = stories.possible_pairs(feed, first[ok], second[ok])
    names = np.array(sources, dtype=object)
    return _connected(sources, zip(names[a].tolist(), names[b].tolist(), strict=True))


def _connected(sources: Iterable[str], pairs: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """The sources in groups connected by the pairs, each sorted, in order of their first."""
    graph = nx.Graph()
    graph.add_nodes_from(sources)
    graph.add_edges_from(pairs)
    return sorted(tuple(sorted(part)) for part in nx.connected_components(graph))


@dataclass(frozen=True)
class BlockingKeys:
    """What blocking indexes some whole articles of a feed under (`blocking_keys`): two
    articles sharing a key are a candidate pair (`candidate_sources`)."""

    shingles: pl.DataFrame
    """(shingle, group, source): the rare phrases each article's claims hold, by group
    (quotations, other claims)."""
    words: pl.DataFrame
    """(key, source): the indexed words and crowded subjects (`stories.blocking_words`)."""


def blocking_keys(
    claims: Iterable[Claim],
    counts: FeedCounts,
    settings: MatchSettings | None = None,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    published: Mapping[str, str] | None = None,
) -> tuple[BlockingKeys, stories.SubjectTables]:
    """The blocking keys of some whole articles of a feed, and what the subject and date
    test reads of them, read with the feed's `counts`: of any cut of a feed into parts,
    the keys and tables the whole feed gives (`parts_of` puts them together)."""
    settings = settings or MatchSettings()
    counts.words.found()
    ordered, canon, masked, sources = _read_claims(claims)
    feed = stories.read_feed(sources, ordered, settings, entities, published, counts.words)
    code = {source: i for i, source in enumerate(sources)}
    texts, copies, shingles = _shingled(ordered, canon, settings, masked, code)
    rare = counts.shingles.lazy().filter(~pl.col("common")).select("shingle")
    held = (
        shingles.join(rare, on="shingle")
        .join(texts.lazy().select("text", "group"), on="text")
        .join(copies.select("text", "source"), on="text")
        .select(
            "shingle",
            "group",
            stories.source_names("source", sources).alias("source"),
        )
        .unique()
        .collect()
    )
    return BlockingKeys(held, stories.blocking_words(feed)), stories.subject_tables(feed)


def candidate_sources(keys: Iterable[BlockingKeys]) -> pl.DataFrame:
    """(a, b): the source pairs (a < b) sharing a blocking key, of the keys of every part
    of a feed, each once, in order."""
    keys = list(keys)
    if not keys:
        return pl.DataFrame(schema={"a": pl.String, "b": pl.String})
    shingles = pl.concat([k.shingles for k in keys]).lazy()
    words = pl.concat([k.words for k in keys]).lazy()

    def paired(held: pl.LazyFrame, on: list[str]) -> pl.LazyFrame:
        return (
            held.join(held, on=on, suffix="_b")
            .filter(pl.col("source") < pl.col("source_b"))
            .select(pl.col("source").alias("a"), pl.col("source_b").alias("b"))
        )

    return (
        pl.concat([paired(shingles, ["shingle", "group"]), paired(words, ["key"])])
        .unique()
        .sort("a", "b")
        .collect()
    )


PAIR_BATCH = 100_000
"""Candidate pairs `parts_of` puts to the subject and date test at once."""


def parts_of(
    keys: Iterable[BlockingKeys],
    tables: Iterable[stories.SubjectTables],
    counts: FeedCounts,
    settings: MatchSettings | None = None,
) -> list[tuple[str, ...]]:
    """`parts` of a feed from the blocking keys and subject tables of its parts
    (`blocking_keys`), as an engine that never holds the whole feed finds them: the
    candidate pairs by a join of keys, each batch of them tested on the tables of its
    own articles alone, and the parts the connected pairs that pass."""
    settings = settings or MatchSettings()
    every = stories.SubjectTables.concat(list(tables))
    if not settings.blocking:  # every pair is a candidate, as in `parts`
        sources = sorted(every.days["source"].to_list())
        return [tuple(sources)] if sources else []
    pairs = candidate_sources(keys)
    passed: list[tuple[str, str]] = []
    for at in range(0, len(pairs), PAIR_BATCH):
        batch = pairs.slice(at, PAIR_BATCH)
        mine = every.of(pl.concat([batch["a"], batch["b"]]).unique())
        a, b = batch["a"].to_list(), batch["b"].to_list()
        ok = stories.judged(mine, counts.words, settings, a, b)
        passed += [(x, y) for x, y, allowed in zip(a, b, ok.tolist(), strict=True) if allowed]
    return _connected(every.days["source"].to_list(), passed)


def joined(matchings: Iterable[Matching]) -> Matching:
    """The matchings of a feed's parts (`parts`) as one, in the order matching the whole
    feed gives: stories by source, matched pairs by claim ids, the pairs related by
    wording before those related by rare words (`_counterparts`), notes by source."""
    story_of: dict[str, str] = {}
    matches: list[ClaimMatch] = []
    related: list[ClaimMatch] = []
    notices: list[Notice] = []
    for matching in matchings:
        story_of.update(matching.story_of)
        matches += matching.matches
        related += matching.related
        notices += matching.notices

    def pair(m: ClaimMatch) -> tuple[bool, str, str]:
        return (m.scorer == WORDS_SCORER, m.claim_a, m.claim_b)

    return Matching(
        MappingProxyType(dict(sorted(story_of.items()))),
        tuple(sorted(matches, key=pair)),
        tuple(sorted(related, key=pair)),
        tuple(sorted(notices, key=lambda n: n.path)),
    )


def match_claims(
    claims: Iterable[Claim],
    settings: MatchSettings | None = None,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    published: Mapping[str, str] | None = None,
    counts: FeedCounts | None = None,
) -> Matching:
    """Stories and matched claims. `entities` (source -> each person and organisation it
    names -> the claims naming it) lets one shorter shared claim link two articles that
    name the same ones elsewhere, and tells stories' subjects apart; `published`
    (source -> its publication date as metadata gives it) keeps stories far apart in
    time apart (see consistency.stories). With `counts` (`feed_counts`), the claims are
    a part of a feed (`parts`: whole stories), matched as the whole feed matches them."""
    settings = settings or MatchSettings()
    if counts is not None:
        counts.words.found()
    ordered, canon, masked, sources = _read_claims(claims)
    words = counts.words if counts is not None else None
    if settings.blocking:
        # The shingles are counted before the story stage reads the feed (they do not
        # need it): counting them was the stage's highest peak, held on top of the
        # feed's tables.
        phrases = _shared_phrases(
            ordered, canon, settings, masked, counts.shingles if counts is not None else None
        )
    feed = stories.read_feed(sources, ordered, settings, entities, published, words)
    texts = _Texts(
        np.array(canon, dtype=object),
        np.array(masked, dtype=object),
        # Whether a claim has a slot: only then can its masked ratio differ.
        np.fromiter((m != c for m, c in zip(masked, canon, strict=True)), np.bool_, len(canon)),
    )

    if settings.blocking:
        # Claim pairs whose articles subject or date part (consistency.stories) can
        # never link them, so they are left unscored unless the two articles end up in
        # one story all the same (average linkage joins groups most of whose pairs
        # link): in a templated feed they are nearly every candidate.
        shared = phrases.shared
        articles = shared.select("pair").unique().sort("pair").collect()["pair"].to_numpy()
        ok = stories.allowed(feed, articles // len(sources), articles % len(sources))
        first, second, scores, framed = _scored(
            _pairs_of(shared, len(ordered), articles[ok]), texts, settings
        )
    else:
        first, second, scores, framed = _scored(
            all_pairs(ordered, canon, settings), texts, settings
        )
        # Sharing a phrase of `shingle_words` words is part of what a match is, not
        # only a way to find candidates: "West Midlands ROCU - adequate" and "West
        # Midlands Police - adequate" score 89 and are about two subjects. Blocking
        # adds only that the phrase be rare; the unblocked pipeline does not.
        apart = [
            k
            for k in np.flatnonzero(np.maximum(scores, framed))
            if not _share_phrase(masked[first[k]], masked[second[k]], settings)
        ]
        scores[apart] = 0
        framed[apart] = 0

    linking = scores >= settings.claim_cutoff  # stories link on claims as written
    story_of = group_stories(
        sources,
        ordered,
        first[linking],
        second[linking],
        settings,
        entities or {},
        published,
        feed,
    )
    story_index = {story: n for n, story in enumerate(sorted(set(story_of.values())))}
    if settings.blocking:
        # The article pairs left unscored that one story holds after all: their claim
        # pairs are scored now, and taken in order among the others.
        # So are the pairs inside one story that share only a phrase too common to link.
        of_source = np.fromiter((story_index[story_of[s]] for s in sources), np.int64)
        late = articles[~ok]
        late = late[of_source[late // len(sources)] == of_source[late % len(sources)]]
        held_back = [_within_stories(phrases, of_source)]
        if len(late):
            held_back.append(_of_articles(shared, late))
        later = _once_in_order(pl.concat(held_back), len(ordered))
        # Less those scored already.
        packed = later["claim"].to_numpy() * len(ordered) + later["claim_b"].to_numpy()
        later = later.filter(~np.isin(packed, first * len(ordered) + second))
        if len(later):
            more = _scored(later, texts, settings)
            both = [
                np.concatenate(pair)
                for pair in zip((first, second, scores, framed), more, strict=True)
            ]
            order = np.lexsort((both[1], both[0]))
            first, second, scores, framed = (column[order] for column in both)
        del phrases, shared
    notices = tuple(
        Notice(
            source,
            f"{count:,} articles read as copies of one story share its subject "
            f"({', '.join(words)}), more than max_crowded_articles"
            f" ({settings.max_crowded_articles:,}): the story is found in parts and"
            " compared only within each; raising the setting finds it whole, for memory"
            " that grows as the square of its outlets",
        )
        for words, count, source in stories.too_crowded(feed)
    )
    # What finding and scoring the pairs needed goes before the related-pair search
    # (`_counterparts`), where the stage peaks: the story stage's tables, the phrase
    # sets and each claim's masked text.
    del feed, masked, texts
    best = np.maximum(scores, framed)

    ids = [c.claim_id for c in ordered]

    def kept(where: np.ndarray) -> list[ClaimMatch]:
        # The ratio as written where it decides, else the masked one, and the scorer
        # says which: a masked match ranks after every match as written. Columns are
        # taken to Python lists once: indexing numpy arrays per pair is slow.
        at = np.flatnonzero(where)
        written = (scores[at] >= settings.claim_cutoff) | (scores[at] >= framed[at])
        score = np.where(written, scores[at], framed[at]).tolist()
        return [
            ClaimMatch(ids[a], ids[b], round(value, 1), SCORER if plain else MASKED_SCORER)
            for a, b, value, plain in zip(
                first[at].tolist(), second[at].tolist(), score, written.tolist(), strict=True
            )
        ]

    # Only the pairs inside one story are made into objects: most matched and related
    # pairs (shared templated wording) lie across stories.
    story = np.fromiter((story_index[story_of[c.source]] for c in ordered), np.int64, len(ordered))
    within = story[first] == story[second]
    strong = best >= settings.claim_cutoff
    matches = kept(strong & within)
    related = kept((best >= settings.related_cutoff) & ~strong & within)
    # Rewrites: a claim left without a counterpart in another source of its story is
    # paired with the claim there that shares most of its rare words, when each is the
    # other's best (`_counterparts`).
    code = {source: i for i, source in enumerate(sources)}
    source_of = np.fromiter((code[c.source] for c in ordered), np.int64, len(ordered))
    aligned = within & (best >= settings.related_cutoff)
    paired = np.concatenate(
        [
            first[aligned] * len(sources) + source_of[second[aligned]],
            second[aligned] * len(sources) + source_of[first[aligned]],
        ]
    )
    if settings.related_word_share <= 1:
        stems = counts.stems if counts is not None else None
        related += _counterparts(ordered, canon, story, source_of, paired, settings, stems)
    return Matching(MappingProxyType(story_of), tuple(matches), tuple(related), notices)


@dataclass(frozen=True)
class _Texts:
    """Each claim's canonical and masked text (in claim order), and whether the masked
    one differs (the claim has a slot)."""

    canon: np.ndarray
    masked: np.ndarray
    slotted: np.ndarray


def _scored(
    pairs: pl.DataFrame, texts: _Texts, settings: MatchSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(first, second, ratio as written, ratio masked) for each pair."""
    first, second = pairs["claim"].to_numpy(), pairs["claim_b"].to_numpy()
    scores = _ratios(texts.canon, first, second, settings)
    # The same pairs with their slots masked: a sentence with a number changed and a
    # word rewritten falls under the cutoff as written, and aligns masked. Only pairs
    # not matched as written in which a claim has a slot can score otherwise.
    rescore = np.flatnonzero(
        (scores < settings.claim_cutoff) & (texts.slotted[first] | texts.slotted[second])
    )
    framed = scores.copy()
    framed[rescore] = _ratios(texts.masked, first[rescore], second[rescore], settings)
    return first, second, scores, framed


def _ratios(
    texts: np.ndarray, first: np.ndarray, second: np.ndarray, settings: MatchSettings
) -> np.ndarray:
    """fuzz.ratio of each pair (`texts[first[k]]`, `texts[second[k]]`), 0 under
    `related_cutoff`: every candidate scored in one call, on all cores; Python sees
    only the pairs kept."""
    return process.cpdist(
        texts[first],
        texts[second],
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=settings.related_cutoff,
        workers=-1,
    )


CLAIM_WORDS = 25
"""The length of a typical claim, in words: general English's usage of a word (per
article of `rarity.ARTICLE_WORDS` words) is scaled to claims of this length, and the
feed's claims sit beside as many general-English claims as `background_articles`
articles hold."""
SCORE_DIGITS = 9
"""Decimal places a counterpart score is kept to: beyond them a sum's last bits depend
on the order polars added its terms in, which is not fixed."""
WORD_BLOCK = 50_000
"""Claims (whole sources) whose words `_counterparts` counts at once: the memory of one
block's exploded words, whatever the feed's size."""
MAX_WORD_CLAIMS = 100
"""A word held by more of a story's claims still without a counterpart is left out of
the counterpart search: a story of many versions (or stories a template made look like
one) would otherwise pair every claim holding "police" with every other."""
_STEM = r"^([a-z]{4,}?)(?:ing|ed|es|s)$"
"""A word's plural or tense ending, left off when words are weighed for alignment:
"crimes" shares "crime", "closed" shares "close"."""


def _counterparts(
    claims: list[Claim],
    canon: list[str],
    story: np.ndarray,
    source_of: np.ndarray,
    paired: np.ndarray,
    settings: MatchSettings,
    stems: pl.DataFrame | None = None,
) -> list[ClaimMatch]:
    """Claims of one story, in two sources, that are each other's best counterpart by
    their rare words: a rewrite keeps the names, figures and rare words of a sentence
    when it keeps no phrase of it, and fuzz.ratio cannot see that.

    Each claim (not a quotation) is compared with every claim of the other sources of
    its story that shares a content word (any, not a rare phrase: rewrites share none).
    A word weighs its inverse document frequency over the feed's claims and as many
    claims of general English beside them (`rarity`, the prior stories use: a word's
    usage scaled to claims of CLAIM_WORDS words), so "Witham" and "25,400" count and
    "said" or "storm" little, on a feed of two articles as on one of thousands;
    function words weigh nothing, and a plural or tense ending is left off ("crimes"
    is "crime").
    A word some article holds in more than `max_shingle_claims` claims is its template
    and left out, as in blocking.
    Two claims score the weight they share over the geometric mean of their weights
    (a cosine of binary weighted vectors). A pair is kept when each claim is the
    other's best in the other's source (the mutual-best rule: a claim is never paired
    with a sentence whose own counterpart is another), when the shared words carry
    `related_word_share` of the lighter claim's weight, and when neither claim already
    has a counterpart in the other's source (`paired`: claim index x sources + source).
    `stems` (`FeedCounts.stems`): the claims are part of a feed, and the words weigh
    what they weigh over the whole of it.
    """
    sources = int(source_of.max()) + 1 if len(source_of) else 1
    keep = _counted_claims(claims, canon, settings)
    if not len(keep):
        return []
    # Only claims left without a counterpart in some other source of their story are
    # compared (in syndicated copies, few), and only with claims of such a source that
    # are without one in theirs: a claim is paired once per source.
    taken = pl.DataFrame(
        {"claim": paired // sources, "source_b": paired % sources},
        schema={"claim": pl.Int64, "source_b": pl.Int64},
    )
    story_sources = np.zeros(int(story.max()) + 1 if len(story) else 1, np.int64)
    np.add.at(story_sources, np.unique(story * sources + source_of) // sources, 1)
    counted = np.bincount(paired // sources, minlength=len(claims))
    needs = pl.DataFrame(
        {"claim": np.flatnonzero(counted < story_sources[story] - 1).astype(np.int64)},
        schema={"claim": pl.Int64},
    )
    stem_counts, open_words = _stem_weights(
        canon, keep, story, source_of, needs, settings, counting=stems is None
    )
    if stems is None:
        empty = pl.DataFrame(schema={"word": pl.String, "weight": pl.Float64})
        stems = _stem_table([stem_counts], settings) if stem_counts is not None else empty
    weighted = open_words.join(stems, on="word")
    mass = weighted.group_by("claim").agg(pl.col("weight").sum().alias("mass"))
    open_ = (
        weighted.lazy()
        # A word most of a large story's open claims hold says little about which two
        # are one claim, and would pair them all (quadratic in the story).
        .filter(pl.len().over("story", "word") <= MAX_WORD_CLAIMS)
    )
    shared = (
        open_.join(open_, on=["story", "word"], suffix="_b")
        .filter((pl.col("claim") < pl.col("claim_b")) & (pl.col("source") != pl.col("source_b")))
        .join(taken.lazy(), on=["claim", "source_b"], how="anti")
        .join(
            taken.lazy().rename({"claim": "claim_b", "source_b": "source"}),
            on=["claim_b", "source"],
            how="anti",
        )
        .group_by("claim", "claim_b", "source", "source_b")
        .agg(pl.col("weight").sum().alias("shared"))
        .join(mass.lazy(), on="claim")
        .join(mass.lazy(), left_on="claim_b", right_on="claim", suffix="_b")
        # Rounded: polars sums a group's floats in no fixed order (threads), and the last
        # bits of a sum decided ties between two equally good counterparts run to run.
        .with_columns(
            (pl.col("shared") / (pl.col("mass") * pl.col("mass_b")).sqrt())
            .round(SCORE_DIGITS)
            .alias("score"),
            (pl.col("shared") / pl.min_horizontal("mass", "mass_b"))
            .round(SCORE_DIGITS)
            .alias("share"),
        )
    )
    # Each claim's best counterpart in each other source, ties to the lower index.
    both_ways = pl.concat(
        [
            shared.select("claim", "claim_b", "source_b", "score"),
            shared.select(
                pl.col("claim_b").alias("claim"),
                pl.col("claim").alias("claim_b"),
                pl.col("source").alias("source_b"),
                "score",
            ),
        ]
    )
    best = (
        both_ways.sort(
            ["claim", "source_b", "score", "claim_b"], descending=[False, False, True, False]
        )
        .group_by("claim", "source_b", maintain_order=True)
        .first()
        .select("claim", "claim_b")
    )
    mutual = (
        shared.filter(pl.col("score") >= settings.related_word_share)
        .join(best, on=["claim", "claim_b"], how="semi")
        .join(
            best.select(pl.col("claim_b").alias("claim"), pl.col("claim").alias("claim_b")),
            on=["claim", "claim_b"],
            how="semi",
        )
        .select("claim", "claim_b", "score")
        .sort("claim", "claim_b")
        .collect()
    )
    return [
        ClaimMatch(claims[a].claim_id, claims[b].claim_id, round(100 * score, 1), WORDS_SCORER)
        for a, b, score in mutual.iter_rows()
    ]


def _counted_claims(claims: list[Claim], canon: list[str], settings: MatchSettings) -> np.ndarray:
    """The indexes of the claims `_counterparts` weighs words over and pairs: not
    quotations, long enough to match."""
    text = np.fromiter((_group(c) == "text" for c in claims), np.bool_, len(claims))
    long_enough = np.fromiter(
        (
            len(c.split()) >= settings.min_claim_words and len(c) <= settings.max_claim_chars
            for c in canon
        ),
        np.bool_,
        len(canon),
    )
    return np.flatnonzero(text & long_enough)


def _stem_weights(
    canon: list[str],
    keep: np.ndarray,
    story: np.ndarray,
    source_of: np.ndarray,
    needs: pl.DataFrame,
    settings: MatchSettings,
    counting: bool = True,
) -> tuple[StemCounts | None, pl.DataFrame]:
    """What the counterpart search counts of the claims `keep` (`StemCounts`, whose
    `_stem_table` is each content word's weight), unless not `counting`; and (claim,
    story, source, word): the words (stems) of the claims `needs` names."""
    function_words = sorted(domain.wording().function_words)
    sources = int(source_of.max()) + 1 if len(source_of) else 1
    # The feed's words are counted (document frequency, templates, general usage) a
    # block of sources at a time, and only the open claims' are kept: all the feed's
    # words at once, exploded, stemmed and counted, took 1.3 GB at 20,000 articles.
    plain: list[pl.DataFrame] = []  # the words as written, for their general usage
    counts: list[pl.DataFrame] = []
    templates: list[pl.DataFrame] = []
    open_words: list[pl.DataFrame] = []
    block = source_of[keep]
    held = np.cumsum(np.bincount(block, minlength=sources))
    cuts = np.searchsorted(held, np.arange(WORD_BLOCK, int(held[-1]), WORD_BLOCK), "right")
    bounds = np.unique(np.concatenate([[0], cuts, [sources]]))
    for low, high in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        part = keep[(block >= low) & (block < high)]
        if not len(part):
            continue
        words = (
            pl.DataFrame(
                {
                    "claim": part.astype(np.int64),
                    "story": story[part],
                    "source": source_of[part],
                    "word": [canon[k] for k in part],
                },
                schema={
                    "claim": pl.Int64,
                    "story": pl.Int64,
                    "source": pl.Int64,
                    "word": pl.String,
                },
            )
            .lazy()
            .with_columns(pl.col("word").str.split(" "))
            .explode("word")
            .filter(~pl.col("word").is_in(function_words) & (pl.col("word").str.len_chars() > 1))
            .unique()
            .collect()
        )
        if counting:
            plain.append(words.select("word").unique())
        # Every claim of a source is in this block: its counts per source are whole.
        stemmed = words.with_columns(pl.col("word").str.replace(_STEM, "$1")).unique()
        del words
        if counting:
            counts.append(stemmed.group_by("word").agg(pl.len().alias("df")))
            # A word some article carries in more than `max_shingle_claims` claims is its
            # template ("Item 1 was rated good by Kent Police", "Item 2 ..."): pairing
            # every claim holding it with every other would be quadratic in the article.
            templates.append(
                stemmed.group_by("word", "source")
                .agg(pl.len().alias("claims"))
                .filter(pl.col("claims") > settings.max_shingle_claims)
                .select("word")
            )
        open_words.append(stemmed.join(needs, on="claim", how="semi"))
        del stemmed
    opened = pl.concat(open_words)
    if not counting or not counts:
        return None, opened
    # How common each word is in English at large, as a share of claims using it (the
    # prior stories use, from articles of ARTICLE_WORDS words to claims of CLAIM_WORDS):
    # on a small feed the feed's own counts cannot tell "storm" from "dome".
    usage = (
        pl.concat(plain)
        .lazy()
        .unique()
        .join(stories.general_usage(settings), on="word", how="left")
        .with_columns(
            (1.0 - (1.0 - pl.col("usage").fill_null(0.0)).pow(CLAIM_WORDS / ARTICLE_WORDS)).alias(
                "usage"
            ),
            pl.col("word").str.replace(_STEM, "$1").alias("stem"),
        )
        .group_by("stem")
        .agg(pl.col("usage").max())
        .collect()
    )
    stem_counts = StemCounts(
        len(keep),
        pl.concat(counts).group_by("word").agg(pl.col("df").sum()),
        pl.concat(templates).unique(),
        usage,
    )
    return stem_counts, opened


@dataclass(frozen=True)
class StemCounts:
    """What the counterpart search counts of some whole articles (`_stem_weights`): summed
    over a feed's parts, the whole feed's (`_stem_table`)."""

    claims: int
    """Claims the words are counted over (`_counted_claims`)."""
    df: pl.DataFrame
    """(word, df): each stem's claims."""
    templates: pl.DataFrame
    """(word): stems some article holds in more than `max_shingle_claims` claims."""
    usage: pl.DataFrame
    """(stem, usage): how common a stem's most common written form is in English."""


def _stem_table(counted: list[StemCounts], settings: MatchSettings) -> pl.DataFrame:
    """(word, weight): each stem's weight in the counterpart search, of the counts of a
    feed's parts, a template's stems left out."""
    background = round(settings.background_articles * ARTICLE_WORDS / CLAIM_WORDS)
    return (
        pl.concat([c.df for c in counted])
        .lazy()
        .group_by("word")
        .agg(pl.col("df").sum())
        .join(pl.concat([c.templates for c in counted]).lazy().unique(), on="word", how="anti")
        .join(
            pl.concat([c.usage for c in counted])
            .lazy()
            .group_by("stem")
            .agg(pl.col("usage").max()),
            left_on="word",
            right_on="stem",
            how="left",
        )
        .select(
            "word",
            rarity.rarity(pl.col("df"), sum(c.claims for c in counted), pl.col("usage"), background)
            .log()
            .alias("weight"),
        )
        .filter(pl.col("weight") > 0)
        .collect()
    )


def group_stories(
    sources: list[str],
    claims: list[Claim],
    first: np.ndarray,
    second: np.ndarray,
    settings: MatchSettings,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    published: Mapping[str, str] | None = None,
    feed: stories.Feed | None = None,
) -> dict[str, str]:
    """Source -> story id: article pairs with enough matched claims (fewer when the two
    articles name the same people and organisations) are linked, and consistency.stories
    adds the pairs alike in what they are about, drops those about different subjects
    or published far apart, and merges by average linkage.

    `first[k]`, `second[k]` index into `claims` the k-th matched pair. Counting the
    matched claims of each article pair runs in polars, not in a loop over pairs.
    """
    entities = entities or {}
    code = {source: i for i, source in enumerate(sources)}
    size = len(claims)
    source_of = np.fromiter((code[c.source] for c in claims), np.int64, size)
    words = np.fromiter((len(c.text.split()) for c in claims), np.int64, size)
    # The sentence holding a quotation already counts; its quote claim does not.
    quote = np.fromiter((c.kind == "quote" for c in claims), np.bool_, size)
    text_pair = ~quote[first] if len(first) else np.zeros(0, np.bool_)
    first, second = first[text_pair], second[text_pair]
    links = pl.DataFrame(
        {
            "a": np.minimum(source_of[first], source_of[second]),
            "b": np.maximum(source_of[first], source_of[second]),
            "words": np.minimum(words[first], words[second]),
            "k": np.arange(len(first)),
        }
    )
    counts = (
        links.group_by("a", "b")
        .agg(pl.len().alias("shared"), pl.col("words").max().alias("longest"))
        .sort("a", "b")
    )
    # Article pairs that can link only by naming the same people and organisations
    # elsewhere: the claims their matches cover are needed for those alone.
    doubtful = counts.filter(
        (pl.col("shared") < settings.min_shared_claims)
        & (pl.col("longest") < settings.long_claim_words)
        & (pl.col("longest") >= settings.entity_claim_words)
    )
    linking: dict[tuple[int, int], set[str]] = defaultdict(set)
    for a, b, k in (
        links.join(doubtful.select("a", "b"), on=["a", "b"]).select("a", "b", "k").iter_rows()
    ):
        linking[(a, b)].update((claims[first[k]].claim_id, claims[second[k]].claim_id))

    def named_elsewhere(pair: tuple[int, int]) -> int:
        """People and organisations both name outside the claims they share: a
        standard sign-off naming the force cannot supply its own evidence."""
        ents_a, ents_b = entities.get(sources[pair[0]], {}), entities.get(sources[pair[1]], {})
        shared_claims = linking[pair]
        return sum(
            1
            for key in ents_a.keys() & ents_b.keys()
            if ents_a[key] - shared_claims and ents_b[key] - shared_claims
        )

    strength: dict[tuple[str, str], float] = {}
    for a, b, shared, longest in counts.iter_rows():
        if (
            shared >= settings.min_shared_claims
            or longest >= settings.long_claim_words
            or (
                longest >= settings.entity_claim_words
                and named_elsewhere((a, b)) >= settings.min_shared_entities
            )
        ):
            strength[(sources[a], sources[b])] = shared
    return stories.group(sources, claims, strength, settings, entities, published, feed)

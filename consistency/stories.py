"""Story identity: which articles are versions of one story, from what each is about.

Shared wording alone fails on real copy in both directions at once: a local
paper's rewrite of a release keeps few sentences whole, and pages written from
one template (four fire services' inspection pages, one release sent for two
forces) share most of theirs. So a story is told by what it is about:

1. Words weighted by rarity. Each article is a vector of its words (canonical
   text, function words left out), each weighted `(1 + ln tf) * idf`, where idf
   is `ln(N / df)` over the feed itself: a word every article uses weighs nothing,
   one only a story's versions use weighs most. Words holding a digit (figures,
   dates, years) weigh `fact_weight` times more, and so do the people and
   organisations the extract stage found (`entity_weight`), keyed as extract
   keys them. Two articles link when the cosine of their vectors reaches
   `story_cosine`.
2. Subjects. An article's subjects are its proper words: capitalised inside a
   sentence at least as often as written otherwise ("Cleveland", not "Fire"),
   ranked by how often the article names them times `1 + idf`, the first
   `subject_words` kept. Two articles whose subjects the other hardly names (the
   share of either one's subject weight that the other's words carry stays under
   `min_subject_share`) are about different subjects: never one story, however
   alike their wording (one template, two services). Nor are two articles each
   of whose main subject the other never names: an article's main subject is its
   heaviest, if named at least `main_subject_mentions` times and weighing
   `main_subject_lead` times its next (a page about Holworth names Holworth far
   more than anything else; a rewrite's subjects are often level). Pages from one
   template share its capitalised words ("Police", "Constable", "Cllr"), which can
   carry the share on their own. A quotation's attribution does not count as
   naming the words of its speaker (a rewrite may quote someone else), but a word
   named elsewhere too stays a subject ("chair of Holworth Fire Authority" on a
   page about Holworth). A word said only in a person's name does not name a place
   of that word ("Chief Executive Nicola Radworth" on another hospital's page),
   and two main subjects one slip of the keyboard apart are one ("Rudakubana" /
   "Rudacubana").
3. Publication date. Versions of one story appear within days: two articles
   whose `published` dates are more than `max_days_apart` days apart are two
   stories (a body's 2023 decision and its 2024 one). Without a date on both,
   there is no date signal.
4. Matched claims (the match stage's links) still link two articles, subject
   and date permitting.

Blocking: never every article against every other. Each article is indexed under
its `story_index_terms` heaviest words found in at least two and at most
`max_term_articles` articles; only pairs sharing an indexed word, or linked by
matched claims, are scored. A story carried by more outlets than that has no such
word between its versions: its articles are crowded, and are scored in pairs
sharing a crowded subject (`_crowded_pairs`, up to `max_crowded_articles`). Linked
articles are then merged by average linkage (`story_link_fraction`), strongest links
first, so nothing chains.

The subject and date test of a pair (`allowed`) depends on that pair alone, so the
match stage puts it to the article pairs its claim candidates span before scoring any
(`read_feed` reads the feed once for both).
"""

from __future__ import annotations

import email.utils
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np
import polars as pl
from rapidfuzz.distance import OSA

from . import domain, rarity
from .keys import canonical_text
from .linkage import average_linkage
from .models import Claim
from .settings import MatchSettings

_PROPER = r"(?:^|[^\p{L}’'-])\p{Lu}\p{Ll}[\p{L}-]+"
"""A capitalised word (with the character before it, cut off below)."""


def source_names(column: str, sources: list[str]) -> pl.Expr:
    """The article codes of `column` as their sources' names (codes index `sources`),
    a string column even when there are none."""
    if not sources:  # polars leaves the codes as they are when there is nothing to map
        return pl.col(column).cast(pl.String)
    return pl.col(column).replace_strict(np.arange(len(sources)), sources, return_dtype=pl.String)


def published_day(value: str) -> date | None:
    """The calendar day of a `published` value (ISO 8601 or an RFC 2822 feed date), or
    None when there is none to read."""
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


ID_BYTES = 8
"""Bytes of hash in a story's or claim cluster's id. 64 bits: with 32, two of a
20,000-article feed's 150,000 claim clusters were expected to share an id (two did,
and the coverage and detectors read them as one); with 64 a feed needs billions."""


def story_id(members: list[str]) -> str:
    text = "\n".join(sorted(members))
    return "s-" + hashlib.blake2b(text.encode(), digest_size=ID_BYTES).hexdigest()


def general_usage(settings: MatchSettings) -> pl.LazyFrame:
    """(word, usage) of general English, or nothing when the prior is off."""
    if settings.background_articles <= 0:
        return pl.LazyFrame(schema={"word": pl.String, "usage": pl.Float64})
    return rarity.background().lazy()


def _rarity(articles: int, settings: MatchSettings) -> pl.Expr:
    return rarity.rarity(pl.col("df"), articles, pl.col("usage"), settings.background_articles)


TERM_BLOCK = 50_000
"""Claims (whole articles) whose words `_terms` splits and counts at once: the memory of
one block's words, whatever the feed's size."""


@dataclass(frozen=True)
class FeedWords:
    """What the story stage counts over the whole feed, for reading a part of it (whole
    stories, `match.parts`) exactly as the whole feed reads it (`read_feed(words=)`):
    a word's weight, an article's subjects and the crowded pairs all depend on counts
    over every article, and so does the order in which a cosine adds its words (the
    last bit of a cosine can decide a link). Counted a part at a time (`word_counts`,
    `merge_words`, then `subject_words` and `with_subject_words`), they are the whole
    feed's."""

    articles: int
    """How many articles the feed has (the N of idf)."""
    terms: pl.DataFrame
    """(word, df, first): each word's (and name key's) document frequency, and its rank
    among the feed's words by where it is first found, which orders them."""
    subjects: pl.Series | None
    """Every word that is a subject of some article (`_subjects`), the names the content
    cosine leaves out; None until found (`with_subject_words`)."""
    crowded: pl.DataFrame | None
    """(word, articles, first): each crowded subject (`_crowded`), how many crowded
    articles have it and the first of them (its source); None until found."""

    def found(self) -> tuple[pl.Series, pl.DataFrame]:
        """The subjects and crowded subjects; a ValueError before they are found: counts
        without them read every part as if no word were a subject anywhere."""
        if self.subjects is None or self.crowded is None:
            raise ValueError(
                "the feed's counts lack its subjects: find them with subjects_of and "
                "with_subjects first"
            )
        return self.subjects, self.crowded


def _term_rows(
    sources: list[str],
    claims: list[Claim],
    entities: Mapping[str, Mapping[str, frozenset[str]]],
) -> pl.DataFrame:
    """(row, article, term, tf): each article's words (canonical, function words left
    out) as written, then each article's people and organisations (a NUL before the
    key, tf the claims naming it), articles in order: a term is first found at its
    first row."""
    code = {source: i for i, source in enumerate(sources)}
    text = [c for c in claims if c.kind != "quote"]  # a quotation repeats its sentence
    stop = pl.Series(sorted(domain.wording().function_words), dtype=pl.String)
    # Each article's words are counted a block of whole articles at a time: the feed's
    # words exploded are 13 million strings at 20,000 articles. An article's counts are
    # its own, so the blocks' are the whole feed's; articles in order, each's words in
    # the order written, so that the rows come out in one order (first seen) however the
    # blocks fall, and so do the codes given the terms below.
    article = np.fromiter((code[c.source] for c in text), np.int64, len(text))
    order = np.argsort(article, kind="stable")
    held = np.cumsum(np.bincount(article, minlength=max(len(sources), 1)))
    cuts = np.searchsorted(held, np.arange(TERM_BLOCK, int(held[-1]), TERM_BLOCK), "right")
    # Blocks of articles holding about TERM_BLOCK claims, as rows of `order`.
    bounds = np.searchsorted(article[order], np.unique(np.concatenate([[0], cuts, [len(held)]])))
    counted = [
        pl.DataFrame(
            {
                "article": article[order[first:last]],
                "canon": [canonical_text(text[k].text) for k in order[first:last].tolist()],
            },
            schema={"article": pl.Int64, "canon": pl.String},
        )
        .lazy()
        .select("article", pl.col("canon").str.split(" ").alias("term"))
        .explode("term")
        .filter((pl.col("term").str.len_chars() >= 2) & ~pl.col("term").is_in(stop.implode()))
        .group_by("article", "term", maintain_order=True)
        .agg(pl.len().alias("tf"))
        .collect()
        for first, last in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    ]
    # In article order, as the words are: where a name is first found is then a place
    # any part of the feed can tell (`FeedWords.terms`).
    named = [
        (code[source], "\x00" + key, len(ids))
        for source in sources
        for key, ids in entities.get(source, {}).items()
    ]
    people = pl.DataFrame(
        {
            "article": [a for a, _, _ in named],
            "term": [t for _, t, _ in named],
            "tf": [n for _, _, n in named],
        },
        schema={"article": pl.Int64, "term": pl.String, "tf": pl.UInt32},
    )
    return pl.concat([*counted, people]).with_row_index("row")


def word_counts(
    sources: list[str],
    claims: list[Claim],
    entities: Mapping[str, Mapping[str, frozenset[str]]],
) -> pl.DataFrame:
    """(word, df, kind, source, at) for some whole articles of a feed: each word's (and
    name key's) document frequency among them, and its first place, `at` its rank
    among the words (kind 0) or names (kind 1) of the article `source`. Summed, and
    the least place taken, over any cut of the feed into whole articles, these are
    the whole feed's (`merge_words`)."""
    rows = _term_rows(sources, claims, entities)
    kind = pl.col("term").str.starts_with("\x00").cast(pl.Int8)
    return (
        rows.with_columns(kind.alias("kind"))
        .with_columns((pl.col("row") - pl.col("row").min().over("article", "kind")).alias("at"))
        .group_by("term", maintain_order=True)
        .agg(
            pl.len().alias("df"),
            pl.col("kind").first(),
            pl.col("article").first(),
            pl.col("at").first(),
        )
        .select(
            pl.col("term").alias("word"),
            "df",
            "kind",
            source_names("article", sources).alias("source"),
            pl.col("at").cast(pl.Int64),
        )
    )


def merge_words(counted: list[pl.DataFrame], articles: int) -> FeedWords:
    """The whole feed's words (`FeedWords`, its subjects and crowded subjects not yet
    found, see `with_subject_words`) from `word_counts` of each of its parts."""
    place = ["kind", "source", "at"]
    terms = (
        pl.concat(counted)
        .sort(place)
        .group_by("word", maintain_order=True)
        .agg(pl.col("df").sum(), *(pl.col(c).first() for c in place))
        .sort(place)
        .with_row_index("first")
        .select("word", pl.col("df").cast(pl.UInt32), pl.col("first").cast(pl.Int64))
    )
    return FeedWords(articles, terms, None, None)


def subject_words(feed: Feed) -> tuple[pl.Series, pl.DataFrame]:
    """The words that are subjects of the articles of `feed` (some whole articles of a
    feed read with its words, `read_feed(words=)`), and (word, source): each crowded
    article's crowded subjects."""
    word_of = feed.word_of
    subjects = word_of.filter(pl.col("term").is_in(feed.subjects["term"].implode()))["word"]
    crowded = feed.crowded.join(word_of, on="term").select(
        "word",
        source_names("article", feed.sources).alias("source"),
    )
    return subjects, crowded


def with_subject_words(words: FeedWords, found: list[tuple[pl.Series, pl.DataFrame]]) -> FeedWords:
    """`words` with the subjects and crowded subjects `subject_words` found in each part
    of the feed (read with `words`)."""
    subjects = pl.concat([s for s, _ in found]).unique().sort()
    crowded = (
        pl.concat([c for _, c in found])
        .group_by("word")
        .agg(pl.len().cast(pl.UInt32).alias("articles"), pl.col("source").min().alias("first"))
    )
    return FeedWords(words.articles, words.terms, subjects, crowded)


def _terms(
    sources: list[str],
    claims: list[Claim],
    entities: Mapping[str, Mapping[str, frozenset[str]]],
    settings: MatchSettings,
    words: FeedWords | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(article, term, w, df) with each article's weights L2-normalised, sorted by article
    and term; (article, term, tf) for every term of every article; and the vocabulary
    (term, word, df, rarity, usage), one row a term. `term` is an integer code, the
    term's rank by where the feed first has it. With `words`, `sources` are part of a
    feed whose counts and order those are (`FeedWords`)."""
    rows = _term_rows(sources, claims, entities)
    # A term's code is its rank among the terms by first row: the same codes however
    # the blocks fall (a cast to Categorical numbers the chunks' strings in whatever
    # order its threads reach them).
    rows = rows.with_columns(
        pl.col("term").cast(pl.Categorical).to_physical().cast(pl.Int64).alias("code")
    )
    # What depends on the term alone is worked out once a term, not once an article
    # holding it: its document frequency (a row is an article's), general usage (joined
    # by the word), rarity and boost. At 20,000 articles 5.2M rows hold 0.8M terms, and
    # joining or hashing the rows' strings took half a gigabyte.
    counted_terms = (
        rows.lazy()
        .group_by("code")
        .agg(
            pl.col("row").min(),
            pl.col("term").first().alias("word"),
            pl.len().alias("df"),
        )
    )
    if words is not None:
        # A part of the feed: each word's count and place are the whole feed's.
        counted_terms = counted_terms.drop("row", "df").join(
            words.terms.lazy().rename({"first": "row"}), on="word", how="left"
        )
        if counted_terms.select(pl.col("df").null_count()).collect().item():
            raise ValueError("read_feed: these articles hold words the feed's counts lack")
    vocabulary = (
        counted_terms.sort("row")
        .join(general_usage(settings), on="word", how="left", maintain_order="left")
        .with_columns(
            _rarity(len(sources) if words is None else words.articles, settings).alias("rarity"),
            # The people and organisations found weigh `entity_weight`, words holding
            # a digit `fact_weight`.
            pl.when(pl.col("word").str.starts_with("\x00"))
            .then(pl.lit(float(settings.entity_weight)))
            .when(pl.col("word").str.contains(r"\d"))
            .then(pl.lit(float(settings.fact_weight)))
            .otherwise(pl.lit(1.0))
            .alias("boost"),
        )
        .with_row_index("term")
        .collect()
    )
    codes = vocabulary["code"].to_numpy()
    recode = np.zeros(int(codes.max(initial=0)) + 1, np.int64)
    recode[codes] = np.arange(len(codes))
    at = pl.Series(recode[rows["code"].to_numpy()])
    vocabulary = vocabulary.select(
        pl.col("term").cast(pl.Int64),
        "word",
        "df",
        "rarity",
        pl.col("usage").fill_null(0.0),
        "boost",
    )
    terms = (
        pl.DataFrame(
            {
                "article": rows["article"],
                "term": at,
                "tf": rows["tf"],
                "df": vocabulary["df"].gather(at),
                "rarity": vocabulary["rarity"].gather(at),
                "boost": vocabulary["boost"].gather(at),
            }
        )
        .with_columns(
            (
                (1 + pl.col("tf").cast(pl.Float64).log())
                * (1 + pl.col("rarity")).log()
                * pl.col("boost")
            ).alias("w")
        )
        .drop("rarity", "boost")
    )
    del rows, at
    # Each article's norm, given to its rows by the article's index, not a join.
    norms = terms.group_by("article").agg((pl.col("w") ** 2).sum().sqrt().alias("norm"))
    norm = np.zeros(max(len(sources), 1))
    norm[norms["article"].to_numpy()] = norms["norm"].to_numpy()
    # One sorted table holds both the vectors and every term an article holds (for the
    # subjects test): where no article's norm is 0 (every article has a weighed word)
    # the two share their article and term columns instead of each holding a copy,
    # 80 MiB at 20,000 articles. Sorted by article, then term (as `_cosines` reads
    # them), by one integer key, and only the columns kept are gathered in that order.
    article = terms["article"].to_numpy()
    order = np.argsort(article * len(vocabulary) + terms["term"].to_numpy(), kind="stable")
    norm_of = norm[article[order]]
    del article
    both = terms.select(
        pl.col("article").gather(order),
        pl.col("term").gather(order),
        pl.col("tf").gather(order),
        (pl.col("w").gather(order) / pl.Series(norm_of)).alias("w"),
        pl.col("df").gather(order),  # for `_candidate_pairs`, which would otherwise look it up
    )
    weighed = norm_of > 0
    del terms, order, norm_of
    vectors = both.select("article", "term", "w", "df")
    if not weighed.all():
        vectors = vectors.filter(pl.Series(weighed))
    return vectors, both.select("article", "term", "tf"), vocabulary.drop("boost")


def _subjects(
    sources: list[str],
    claims: list[Claim],
    present: pl.DataFrame,
    vocabulary: pl.DataFrame,
    settings: MatchSettings,
) -> pl.DataFrame:
    """(article, term, weight, named): each article's `subject_words` heaviest proper
    words, heaviest first, and how often each is named there (capitalised, outside
    quotations' attributions)."""
    code = {source: i for i, source in enumerate(sources)}
    text = [c for c in claims if c.kind != "quote"]
    # Months and weekdays are capitalised but name no subject.
    cal = domain.calendar()
    calendar = pl.Series(sorted({*cal.months, *cal.weekdays}), dtype=pl.String)
    capitals = (
        pl.DataFrame(
            {"article": [code[c.source] for c in text], "text": [c.text for c in text]},
            schema={"article": pl.Int64, "text": pl.String},
        )
        .lazy()
        .select("article", pl.col("text").str.extract_all(_PROPER).alias("word"))
        .explode("word")
        .drop_nulls("word")
        .select(
            "article",
            pl.col("word").str.strip_chars_start().str.replace(r"^[^\p{L}]", "").str.to_lowercase(),
        )
        .filter(~pl.col("word").is_in(calendar.implode()))
        .group_by("article", "word")
        .agg(pl.len().alias("capital"))
    )
    words = vocabulary.lazy().filter(pl.col("word").str.starts_with("\x00").not_())
    # Who is quoted is not what a story is about: a rewrite may quote another
    # spokesperson, and a speaker's name said beside every quotation would outweigh
    # the subjects. So each quotation takes one mention off each word of its
    # speaker's attribution, and a word named only there is no subject. A word named
    # elsewhere too stays: "chair of Holworth Fire Authority" attributes a quotation
    # on a page about Holworth, and a template's pages may name their place or body
    # mostly in such titles.
    quoted = [
        (code[c.source], word)
        for c in claims
        if c.speaker
        for word in set(canonical_text(c.speaker).split())
    ]
    speakers = (
        pl.LazyFrame(
            {"article": [a for a, _ in quoted], "word": [w for _, w in quoted]},
            schema={"article": pl.Int64, "word": pl.String},
        )
        .group_by("article", "word")
        .agg(pl.len().alias("quoted"))
    )
    ranked = (
        capitals.join(words, on="word")
        .join(present.lazy(), on=["article", "term"])
        .filter(pl.col("capital") * 2 >= pl.col("tf"))
        .join(speakers, on=["article", "word"], how="left")
        .with_columns(
            (pl.col("capital").cast(pl.Int64) - pl.col("quoted").fill_null(0).cast(pl.Int64)).alias(
                "named"
            )
        )
        .filter(pl.col("named") >= 1)
        .with_columns((pl.col("named") * (1 + pl.col("rarity").log())).alias("weight"))
        .sort(["article", "weight", "word"], descending=[False, True, False])
        .group_by("article", maintain_order=True)
        .head(settings.subject_words)
        .select("article", "term", "weight", "named", "usage")
    )
    return ranked.collect()


def _candidate_pairs(feed: Feed, extra: pl.DataFrame, settings: MatchSettings) -> pl.DataFrame:
    """(a, b) for article pairs sharing an indexed word or a crowded subject
    (`_crowded_pairs`), and the `extra` pairs."""
    indexed = _heaviest(
        feed.vectors.filter((pl.col("df") >= 2) & (pl.col("df") <= settings.max_term_articles)),
        settings,
    ).select("article", "term")
    candidates = (
        indexed.join(indexed, on="term", suffix="_b")
        .filter(pl.col("article") < pl.col("article_b"))
        .select(pl.col("article").alias("a"), pl.col("article_b").alias("b"))
    )
    crowded = _crowded_pairs(feed)
    return pl.concat([candidates, crowded, extra.select("a", "b")]).unique()


def blocking_words(feed: Feed) -> pl.DataFrame:
    """(key, source): the words under which `_candidate_pairs` indexes each article (an
    indexed word, "w:" and the word; a crowded subject it pairs by, "c:" and the word):
    two articles under one key are a candidate pair. Of a part of a feed read with its
    words, these are the keys the whole feed gives its articles."""
    indexed = _heaviest(
        feed.vectors.filter(
            (pl.col("df") >= 2) & (pl.col("df") <= feed.settings.max_term_articles)
        ),
        feed.settings,
    ).select("article", "term", pl.lit("w:").alias("kind"))
    crowded = (
        feed.crowded.join(_crowded_counts(feed), on="term", how="left", maintain_order="left")
        .filter(pl.col("articles") <= feed.settings.max_crowded_articles)
        .select("article", "term", pl.lit("c:").alias("kind"))
    )
    word_of = feed.word_of
    return (
        pl.concat([indexed, crowded])
        .join(word_of, on="term")
        .select(
            pl.concat_str("kind", "word").alias("key"),
            source_names("article", feed.sources).alias("source"),
        )
        .unique()
    )


def _heaviest(vectors: pl.DataFrame, settings: MatchSettings) -> pl.DataFrame:
    """The rows of `vectors` of each article's `story_index_terms` heaviest words, ties
    by term, in article order."""
    return (
        vectors.sort(["article", "w", "term"], descending=[False, True, False])
        .group_by("article", maintain_order=True)
        .head(settings.story_index_terms)
    )


def _crowded(
    vectors: pl.DataFrame,
    vocabulary: pl.DataFrame,
    subjects: pl.DataFrame,
    settings: MatchSettings,
) -> pl.DataFrame:
    """(article, term): each crowded article with each crowded subject of its
    `subject_words`.

    Blocking by rare words cannot find the versions of a story carried by more than
    `max_term_articles` outlets: every word they share is in too many articles to be
    indexed, so a wire story in 500 outlets fell apart into a hundred stories. Such an
    article is crowded: most of its `story_index_terms` heaviest words (found in two
    articles or more) are in more than `max_term_articles` articles, and so is its
    heaviest subject (`_subjects`). A page of a template is not: its heaviest subject
    is its own place or body, rare in the feed, however many words it shares with the
    template's other pages."""
    cap = settings.max_term_articles
    ranked = subjects.select("article", "term").join(
        vocabulary.select("term", "df"), on="term", how="left", maintain_order="left"
    )
    # The heaviest subject first: most feeds have no crowded one, and are done here.
    top = ranked.group_by("article", maintain_order=True).first().filter(pl.col("df") > cap)
    if top.is_empty():
        return pl.DataFrame(schema={"article": pl.Int64, "term": pl.Int64})
    heaviest = (
        _heaviest(
            vectors.filter(pl.col("article").is_in(top["article"].implode()) & (pl.col("df") >= 2)),
            settings,
        )
        .group_by("article")
        .agg(((pl.col("df") > cap).mean() > 0.5).alias("crowded_words"))
    )
    return (
        heaviest.filter("crowded_words")
        .join(ranked.filter(pl.col("df") > cap), on="article")
        .select("article", pl.col("term").cast(pl.Int64))
        .sort("article", "term")
    )


def _crowded_pairs(feed: Feed) -> pl.DataFrame:
    """(a, b) for pairs of crowded articles (`Feed.crowded`) sharing a crowded subject, for
    the subject and date test, the cosine and average linkage to judge as any other
    pair: the pairs of one story carried by n outlets are n(n-1)/2, which average
    linkage needs half of linked to keep it one story. A subject more than
    `max_crowded_articles` crowded articles share pairs none of them: its pairs and
    their matched claims would outgrow memory (README, "One story in many outlets"),
    and such a story is found in parts, by its rarer words (`too_crowded` names it)."""
    crowded = feed.crowded.join(
        _crowded_counts(feed), on="term", how="left", maintain_order="left"
    ).filter(pl.col("articles") <= feed.settings.max_crowded_articles)
    return (
        crowded.join(crowded, on="term", suffix="_b")
        .filter(pl.col("article") < pl.col("article_b"))
        .select(pl.col("article").alias("a"), pl.col("article_b").alias("b"))
    )


def _crowded_counts(feed: Feed) -> pl.DataFrame:
    """(term, articles, first): each crowded subject of the feed's crowded articles, how
    many crowded articles have it and the first of them (its source), counted over the
    whole feed when `feed` is a part of one (`Feed.words`)."""
    if feed.words is None:
        return (
            feed.crowded.group_by("term")
            .agg(pl.len().alias("articles"), pl.col("article").min().alias("first"))
            .with_columns(source_names("first", feed.sources))
        )
    return feed.word_of.join(feed.words.found()[1], on="word").select(
        "term", pl.col("articles").cast(pl.UInt32), "first"
    )


def too_crowded(feed: Feed) -> list[tuple[tuple[str, ...], int, str]]:
    """(subject words, crowded articles, the first of them) for the subjects more
    crowded articles share than `max_crowded_articles`, one entry for the subjects
    whose articles start at one article (one story's "Ashby", "Fold" and "Ofsted"): a
    story that large is found in parts (`_crowded_pairs`), which its reader should be
    told. A part of a feed (`Feed.words`) tells those whose first article it holds, so
    that its parts tell each once."""
    counts = _crowded_counts(feed)
    if feed.words is not None:
        counts = counts.filter(pl.col("first").is_in(feed.sources))
    over = (
        counts.filter(pl.col("articles") > feed.settings.max_crowded_articles)
        .join(feed.word_of, on="term")
        .group_by("first")
        .agg(pl.col("word").sort(), pl.col("articles").max())
        .sort("first")
    )
    return [
        (tuple(words), count, first)
        for words, count, first in zip(
            over["word"].to_list(), over["articles"].to_list(), over["first"].to_list(), strict=True
        )
    ]


COSINE_BLOCK = 1 << 20
"""Vector entries (both articles' terms, summed over the pairs) `_cosines` holds at
once: its arrays take about 100 bytes an entry, so 100 MiB, whatever the feed's size."""


def _spans(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The indexes start..start + size - 1 of each (start, size), one after another."""
    ends = np.cumsum(sizes)
    return np.repeat(starts - (ends - sizes), sizes) + np.arange(ends[-1] if len(ends) else 0)


def _cosines(pairs: pl.DataFrame, vectors: pl.DataFrame) -> np.ndarray:
    """The cosine of each pair's word vectors, in the pairs' order. `vectors` (article,
    term, w) is sorted by article, then term.

    A block of pairs at a time, in numpy: each pair's terms of `a` are looked up among
    its terms of `b` by binary search, and the products summed per pair. Joining the
    pairs with the vectors instead held every term of every pair's first article at
    once, beside two hash tables of the whole feed's vectors (1.8 GB at 20,000
    articles, the peak of the match stage)."""
    article = vectors["article"].to_numpy()
    term = vectors["term"].to_numpy()
    weight = vectors["w"].to_numpy()
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    cosine = np.zeros(len(a))
    if not len(a) or not len(article):
        return cosine
    articles = max(int(article[-1]), int(a.max()), int(b.max())) + 1
    start = np.searchsorted(article, np.arange(articles + 1))
    size = np.diff(start)
    span = int(term.max()) + 1
    # Blocks of consecutive pairs holding about COSINE_BLOCK entries (one pair at least).
    held = np.cumsum(size[a] + size[b])
    cuts = np.searchsorted(held, np.arange(COSINE_BLOCK, int(held[-1]), COSINE_BLOCK), "right")
    bounds = np.unique(np.concatenate([[0], cuts, [len(a)]]))
    for first, last in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        block_a, block_b = a[first:last], b[first:last]
        pair = np.arange(last - first)
        at_a = _spans(start[block_a], size[block_a])
        at_b = _spans(start[block_b], size[block_b])
        owner = np.repeat(pair, size[block_a])
        # Pair, then term: sorted on both sides, since each article's terms are.
        key_a = owner * span + term[at_a]
        key_b = np.repeat(pair, size[block_b]) * span + term[at_b]
        found = np.minimum(np.searchsorted(key_b, key_a), max(len(key_b) - 1, 0))
        common = np.flatnonzero(key_b[found] == key_a) if len(key_b) else found[:0]
        cosine[first:last] = np.bincount(
            owner[common],
            weights=weight[at_a[common]] * weight[at_b[found[common]]],
            minlength=last - first,
        )
    return cosine


def _subject_share(pairs: pl.DataFrame, subjects: pl.DataFrame, present: pl.DataFrame) -> pl.Series:
    """For each pair, the larger of: the share of a's subject weight that b's words
    carry, and of b's that a's carry; 1 when either has no subjects."""
    total = subjects.group_by("article").agg(pl.col("weight").sum().alias("total"))
    # Whether an article has a word, by binary search on article * span + term: a
    # semi-join hashed every word of the feed (5 million at 20,000 articles) twice.
    span = int(present["term"].to_numpy().max(initial=0)) + 1
    words = present["article"].to_numpy() * span + present["term"].to_numpy()

    def share(first: str, second: str) -> pl.DataFrame:
        subject = pairs.select(first, second).join(subjects.rename({"article": first}), on=first)
        has = among(subject[second].to_numpy() * span + subject["term"].to_numpy(), words)
        carried = (
            subject.filter(pl.Series(has))
            .group_by(first, second)
            .agg(pl.col("weight").sum().alias("carried"))
        )
        return (
            pairs.select("a", "b")
            .join(carried, on=[first, second], how="left")
            .join(total.rename({"article": first}), on=first, how="left")
            .select(
                "a",
                "b",
                pl.when(pl.col("total").is_null())
                .then(1.0)
                .otherwise(pl.col("carried").fill_null(0.0) / pl.col("total"))
                .alias(f"share_{first}"),
            )
        )

    both = (
        pairs.select("a", "b")
        .join(share("a", "b"), on=["a", "b"])
        .join(share("b", "a"), on=["a", "b"])
    )
    ordered = pairs.select("a", "b").join(both, on=["a", "b"], how="left", maintain_order="left")
    return ordered.select(pl.max_horizontal("share_a", "share_b")).to_series()


def positions(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Where each of `values` is in `pool` (integers, each once), -1 where it is not:
    by binary search, on `pool` as it is when it is sorted already."""
    order = None if bool(np.all(pool[1:] > pool[:-1])) else np.argsort(pool)
    ordered = pool if order is None else pool[order]
    where = np.searchsorted(ordered, values)
    found = where < len(ordered)
    found[found] = ordered[where[found]] == values[found]
    if order is not None:
        where[found] = order[where[found]]
    where[~found] = -1
    return where


def among(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Whether each of `values` is in `pool` (integers): `np.isin` by sorting and binary
    search. numpy 2's `isin` and `unique` hash their input, which on a million
    article-word codes takes seconds where a sort takes hundredths."""
    pool = np.sort(pool)
    where = np.searchsorted(pool, values)
    found: np.ndarray = where < len(pool)
    found[found] = pool[where[found]] == values[found]
    return found


RARE_SHORT_SUBJECT = 3.0
"""Zipf frequency (`rarity.zipf`) under which two main subjects of four letters one slip
apart are one ("Bogo" / "Bugo", 2.5 / 0: a garbled copy's spelling of the town); "Kent"
(4.5) and the like are common enough to be two places."""


def _one_slip(x: str, y: str) -> bool:
    """Two words one slip of the keyboard apart (OSA distance 1), with the same first
    letter and both longer than four letters, or of four both rare in English
    (`RARE_SHORT_SUBJECT`)."""
    shortest = min(len(x), len(y))
    if shortest < 4 or x[0] != y[0] or OSA.distance(x, y) > 1:
        return False
    return shortest > 4 or max(rarity.zipf(x), rarity.zipf(y)) < RARE_SHORT_SUBJECT


def _main_subject_named(
    first: np.ndarray,
    second: np.ndarray,
    subjects: pl.DataFrame,
    present: pl.DataFrame,
    vocabulary: pl.DataFrame,
    n: int,
    settings: MatchSettings,
    names: pl.DataFrame,
) -> np.ndarray:
    """For each pair (`first[k]`, `second[k]`), whether either article's main subject
    (its heaviest, if named at least `main_subject_mentions` times and weighing
    `main_subject_lead` times its next) is among the other's words; True when either
    has none. Two pages from one template, each about a place, body or person the
    other never names, are two stories however many of their lesser subjects (the
    template's own capitalised words: "Police", "Constable") they share.
    A word named once, or barely ahead of the next, is too weak a subject to part two
    articles on: a rewrite's heaviest proper word may be a photo credit. `names`
    (article, key, claims): the people each article names (`Feed.names`)."""
    top = np.full(n, -1, np.int64)
    main = (
        subjects.filter(pl.col("usage") <= settings.main_subject_usage)
        .group_by("article", maintain_order=True)
        .agg(
            pl.col("term").first(),
            pl.col("named").first(),
            (pl.col("weight").first() / pl.col("weight").get(1, null_on_oob=True)).alias("lead"),
        )
        .filter(
            (pl.col("named") >= settings.main_subject_mentions)
            & (pl.col("lead").fill_null(float("inf")) >= settings.main_subject_lead)
        )
    )
    top[main["article"].to_numpy()] = main["term"].to_numpy()
    span = int(present["term"].to_numpy().max(initial=0)) + 1
    # A word said only as part of a person's name does not name a place or body of
    # that word ("Chief Executive Nicola Radworth" on another hospital's page).
    in_names = pl.DataFrame(
        [
            (code, word, claims)
            for code, key, claims in names.iter_rows()
            for word in set(key.removeprefix("person:").split())
        ],
        schema={"article": pl.Int64, "word": pl.String, "in_names": pl.Int64},
        orient="row",
    )
    if len(in_names):
        in_names = in_names.group_by("article", "word").agg(pl.col("in_names").sum())
    # Only the article's words found in its people's names can fall under one mention;
    # the others are kept as written. Their counts are looked up by binary search: a
    # join with `present` hashed every word of the feed, where the stage peaks.
    words = present["article"].to_numpy() * span + present["term"].to_numpy()
    tf = present["tf"].to_numpy()
    in_names = in_names.join(vocabulary.select("term", "word"), on="word")
    said_in_names = in_names["article"].to_numpy() * span + in_names["term"].to_numpy()
    at = positions(said_in_names, words)
    found = at >= 0
    unsaid = said_in_names[found][
        tf[at[found]].astype(np.int64) - in_names["in_names"].to_numpy()[found] < 1
    ]
    held = words[(tf >= 1) & ~among(words, unsaid)]
    a_named_by_b = among(second * span + top[first], held)
    b_named_by_a = among(first * span + top[second], held)
    named: np.ndarray = (
        (top[first] < 0)
        | (top[second] < 0)
        | (top[first] == top[second])
        | a_named_by_b
        | b_named_by_a
    )
    # Two main subjects that are one name with one slip of the keyboard ("Rudakubana"
    # / "Rudacubana": a letter added, dropped, changed or two swapped) are one
    # subject. One slip only: two places of a template's pages are often alike
    # ("Radworth" / "Bramworth").
    left = np.flatnonzero(~named)
    mains = vocabulary.filter(pl.col("term").is_in(pl.Series(top[top >= 0]).implode()))
    word = dict(zip(mains["term"].to_list(), mains["word"].to_list(), strict=True))
    subject_pairs, which = np.unique(
        np.stack([top[first[left]], top[second[left]]], axis=1), axis=0, return_inverse=True
    )
    alike = np.array(
        [_one_slip(word[int(x)], word[int(y)]) for x, y in subject_pairs], dtype=np.bool_
    )
    if len(left):
        named[left] = alike[which.reshape(-1)]
    return named


@dataclass(frozen=True)
class Feed:
    """What the story stage reads of a feed, once: each article's word vector, words,
    subjects, publication day and people named, for every pair it is then asked about
    (`allowed` before the claims are scored, `group` after)."""

    sources: list[str]
    code: dict[str, int]
    vectors: pl.DataFrame
    present: pl.DataFrame
    vocabulary: pl.DataFrame
    subjects: pl.DataFrame
    days: np.ndarray
    names: pl.DataFrame
    """(article, key, claims): the people each article names (`person:` keys, as
    extract keys them) and in how many of its claims."""
    settings: MatchSettings
    crowded: pl.DataFrame
    """(article, term): crowded articles and their crowded subjects (`_crowded`), read
    once for both the pairs they make and the note on those too many to pair."""
    words: FeedWords | None = None
    """The whole feed's counts, when these articles are a part of it."""

    @property
    def word_of(self) -> pl.DataFrame:
        """(term, word): each term code's word."""
        return self.vocabulary.select("term", "word")


def read_feed(
    sources: list[str],
    claims: list[Claim],
    settings: MatchSettings,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    published: Mapping[str, str] | None = None,
    words: FeedWords | None = None,
) -> Feed:
    """The feed's articles as the story stage reads them (see `group` for the arguments).
    With `words` (`FeedWords`, a feed's counts), the articles are some whole articles of
    that feed, each read as the whole feed reads it; `group` on them finds the whole
    feed's stories when they are whole stories (`match.parts`)."""
    entities = entities or {}
    published = published or {}
    code = {source: i for i, source in enumerate(sources)}
    vectors, present, vocabulary = _terms(sources, claims, entities, settings, words)
    days = np.array(
        [
            d.toordinal() if (d := published_day(published.get(s, ""))) is not None else -1
            for s in sources
        ],
        dtype=np.int64,
    )
    subjects = _subjects(sources, claims, present, vocabulary, settings)
    return Feed(
        sources,
        code,
        vectors,
        present,
        vocabulary,
        subjects,
        days,
        pl.DataFrame(
            [
                (code[source], key, len(ids))
                for source, keys in entities.items()
                if source in code
                for key, ids in keys.items()
                if key.startswith("person:")
            ],
            schema={"article": pl.Int64, "key": pl.String, "claims": pl.Int64},
            orient="row",
        ),
        settings,
        _crowded(vectors, vocabulary, subjects, settings),
        words,
    )


class _Judged(Protocol):
    """What the subject and date test reads of some articles: a `Feed`, or the articles of
    some pairs gathered from their `SubjectTables` (`judged`)."""

    @property
    def sources(self) -> list[str]: ...
    @property
    def days(self) -> np.ndarray: ...
    @property
    def subjects(self) -> pl.DataFrame: ...
    @property
    def present(self) -> pl.DataFrame: ...
    @property
    def vocabulary(self) -> pl.DataFrame: ...
    @property
    def names(self) -> pl.DataFrame: ...
    @property
    def settings(self) -> MatchSettings: ...


def allowed(feed: _Judged, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """For each article pair (`first[k]`, `second[k]`: indexes into `feed.sources`, no
    pair given twice), whether subject and date allow the two to be one story. A pair's
    answer depends on that pair alone, so the match stage asks it before scoring claims:
    claim pairs across a pair not allowed never link two articles."""
    settings, days = feed.settings, feed.days
    # The cheapest test first, each on the pairs the one before left: in a templated
    # feed the main subject alone parts nearly every pair.
    dated = (days[first] >= 0) & (days[second] >= 0)
    left = np.flatnonzero(~(dated & (np.abs(days[first] - days[second]) > settings.max_days_apart)))
    left = left[
        _main_subject_named(
            first[left],
            second[left],
            feed.subjects,
            feed.present,
            feed.vocabulary,
            len(feed.sources),
            settings,
            feed.names,
        )
    ]
    pairs = pl.DataFrame(
        {"a": first[left], "b": second[left]}, schema={"a": pl.Int64, "b": pl.Int64}
    )
    share = _subject_share(pairs, feed.subjects, feed.present).to_numpy()
    possible = np.zeros(len(first), np.bool_)
    possible[left[share >= settings.min_subject_share]] = True
    return possible


@dataclass(frozen=True)
class SubjectTables:
    """What the subject and date test (`allowed`) reads of some articles, by source and
    word instead of a feed's codes: an engine holds these for every article, gathers
    those of some article pairs wherever it likes and tests the pairs there (`judged`),
    with the answers the whole feed gives."""

    days: pl.DataFrame
    """(source, day): each article's publication day as an ordinal, -1 without one."""
    subjects: pl.DataFrame
    """(source, word, weight, named, usage): each article's subjects, heaviest first."""
    present: pl.DataFrame
    """(source, word, tf): each article's words, with their counts; of some articles
    read with the feed's words, only the words that are a subject somewhere."""
    names: pl.DataFrame
    """(source, key, claims): the people each names (`Feed.names`)."""

    @staticmethod
    def concat(tables: list[SubjectTables]) -> SubjectTables:
        """The tables of several parts as one (each article in one part only)."""
        if not tables:
            return subject_tables_of_nothing()
        return SubjectTables(
            pl.concat([t.days for t in tables]),
            pl.concat([t.subjects for t in tables]),
            pl.concat([t.present for t in tables]),
            pl.concat([t.names for t in tables]),
        )

    def of(self, sources: pl.Series) -> SubjectTables:
        """The rows of the articles `sources`."""
        mine = pl.col("source").is_in(sources.implode())
        return SubjectTables(
            self.days.filter(mine),
            self.subjects.filter(mine),
            self.present.filter(mine),
            self.names.filter(mine),
        )


def subject_tables_of_nothing() -> SubjectTables:
    """The subject tables of no article."""
    return SubjectTables(
        pl.DataFrame(schema={"source": pl.String, "day": pl.Int64}),
        pl.DataFrame(
            schema={
                "source": pl.String,
                "word": pl.String,
                "weight": pl.Float64,
                "named": pl.Int64,
                "usage": pl.Float64,
            }
        ),
        pl.DataFrame(schema={"source": pl.String, "word": pl.String, "tf": pl.UInt32}),
        pl.DataFrame(schema={"source": pl.String, "key": pl.String, "claims": pl.Int64}),
    )


def subject_tables(feed: Feed) -> SubjectTables:
    """The subject tables of a feed's articles (read with the whole feed's words when
    the feed is a part of one). The test asks only whether an article has some other
    article's subject, so of a part of a feed read with its words, only the words that
    are a subject somewhere are kept (a tenth of them, in news copy)."""
    source = source_names("article", feed.sources)
    word_of = feed.word_of
    present = feed.present
    if feed.words is not None and len(subjects := feed.words.found()[0]):
        subject = word_of.filter(pl.col("word").is_in(subjects.implode()))
        present = present.join(subject.select("term"), on="term", how="semi", maintain_order="left")
    return SubjectTables(
        pl.DataFrame(
            {"source": feed.sources, "day": feed.days},
            schema={"source": pl.String, "day": pl.Int64},
        ),
        feed.subjects.join(word_of, on="term", how="left", maintain_order="left").select(
            source.alias("source"), "word", "weight", "named", "usage"
        ),
        present.join(word_of, on="term", how="left", maintain_order="left").select(
            source.alias("source"), "word", "tf"
        ),
        feed.names.select(source.alias("source"), "key", "claims"),
    )


@dataclass(frozen=True)
class _Gathered:
    """Some articles' subject tables in a feed's codes (`judged`)."""

    sources: list[str]
    days: np.ndarray
    subjects: pl.DataFrame
    present: pl.DataFrame
    vocabulary: pl.DataFrame
    names: pl.DataFrame
    settings: MatchSettings


def judged(
    tables: SubjectTables,
    words: FeedWords,
    settings: MatchSettings,
    first: list[str],
    second: list[str],
) -> np.ndarray:
    """For each pair of sources (`first[k]`, `second[k]`, no pair given twice), whether
    subject and date allow the two to be one story (`allowed`), from the subject tables
    of (at least) the articles of the pairs, read with the feed's `words`."""
    sources = sorted(tables.days["source"].to_list())
    if len(set(sources)) != len(sources):
        raise ValueError("judged: an article's subject tables are given twice")
    code = pl.DataFrame({"source": sources, "article": np.arange(len(sources), dtype=np.int64)})
    terms = (
        pl.concat([tables.present.select("word"), tables.subjects.select("word")])
        .unique()
        .join(words.terms.select("word", "first"), on="word", how="left")
        .sort("first")
        .with_row_index("term")
        .select(pl.col("term").cast(pl.Int64), "word")
    )

    def coded(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
        # Each article's rows keep their order (a subject list is heaviest first).
        return (
            frame.join(code, on="source", how="left", maintain_order="left")
            .join(terms, on="word", how="left", maintain_order="left")
            .sort("article", maintain_order=True)
            .select("article", "term", *columns)
        )

    days = tables.days.join(code, on="source").sort("article")["day"].to_numpy()
    gathered = _Gathered(
        sources,
        days,
        coded(tables.subjects, "weight", "named", "usage"),
        coded(tables.present, "tf"),
        terms,
        tables.names.join(code, on="source", how="left", maintain_order="left")
        .sort("article", maintain_order=True)
        .select("article", "key", "claims"),
        settings,
    )
    at = {source: k for k, source in enumerate(sources)}
    a = np.fromiter((at[s] for s in first), np.int64, len(first))
    b = np.fromiter((at[s] for s in second), np.int64, len(second))
    return allowed(gathered, a, b)


def possible_pairs(
    feed: Feed, first: np.ndarray, second: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(a, b): every article pair `group` can link, given the pairs (`first[k]`,
    `second[k]`) that matched claims can link: those and the candidates of blocking
    (`_candidate_pairs`), where subject and date allow them."""
    extra = pl.DataFrame({"a": first, "b": second}, schema={"a": pl.Int64, "b": pl.Int64})
    pairs = _candidate_pairs(feed, extra, feed.settings)
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    possible = allowed(feed, a, b)
    return a[possible], b[possible]


def group(
    sources: list[str],
    claims: list[Claim],
    claim_links: Mapping[tuple[str, str], float],
    settings: MatchSettings,
    entities: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    published: Mapping[str, str] | None = None,
    feed: Feed | None = None,
) -> dict[str, str]:
    """Source -> story id. `claim_links` holds the article pairs (smaller, larger) that
    the match stage links by matched claims; `published` each source's publication
    date as its metadata gives it; `feed`, the same read already (`read_feed`)."""
    feed = feed or read_feed(sources, claims, settings, entities, published)
    code, vectors = feed.code, feed.vectors
    extra = pl.DataFrame(
        {
            "a": [code[a] for a, _ in claim_links],
            "b": [code[b] for _, b in claim_links],
        },
        schema={"a": pl.Int64, "b": pl.Int64},
    )
    pairs = _candidate_pairs(feed, extra, settings).sort("a", "b")
    first, second = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    # Only pairs that subject and date allow are worth their cosine: in a templated
    # feed most candidate pairs (shared template wording) are two subjects.
    possible = allowed(feed, first, second)
    cosine = np.zeros(len(first))
    cosine[possible] = _cosines(pairs.filter(pl.Series(possible)), vectors)
    linked_by_claims = (
        pairs.join(
            extra.unique().with_columns(pl.lit(True).alias("linked")),
            on=["a", "b"],
            how="left",
            maintain_order="left",
        )["linked"]
        .fill_null(False)
        .to_numpy()
    )
    # Names alone are not a story: two pieces about one force and its chief (a court
    # case, a crime survey) share those and nothing else. So the words other than
    # names (the people and organisations found, and every article's subjects) must
    # carry some of the cosine themselves.
    content = np.zeros(len(first))
    if feed.words is None:
        named = set(feed.subjects["term"].to_list())
    else:  # a part of a feed: the words that are subjects anywhere in it
        subject = pl.col("word").is_in(feed.words.found()[0].implode())
        named = set(feed.vocabulary.filter(subject)["term"].to_list())
    names = feed.vocabulary.filter(pl.col("word").str.starts_with("\x00"))["term"]
    # A filter keeps the vectors' order, which `_cosines` reads them in.
    said = vectors.select("article", "term", "w").filter(
        ~pl.col("term").is_in(names.implode()) & ~pl.col("term").is_in(list(named))
    )
    linkable = possible & (cosine >= settings.story_cosine)
    content[linkable] = _cosines(pairs.filter(pl.Series(linkable)), said)
    keep = ((linkable & (content >= settings.story_content_cosine)) | linked_by_claims) & possible
    strength = {
        (sources[a], sources[b]): float(c)
        for a, b, c in zip(first[keep], second[keep], cosine[keep], strict=True)
    }
    story_of: dict[str, str] = {}
    for members in average_linkage(sources, strength, settings.story_link_fraction):
        story_of.update(dict.fromkeys(members, story_id(members)))
    # By source: the order in which parts of a feed give theirs (`match.joined`).
    return dict(sorted(story_of.items()))


__all__ = [
    "Feed",
    "FeedWords",
    "SubjectTables",
    "allowed",
    "among",
    "blocking_words",
    "group",
    "judged",
    "merge_words",
    "possible_pairs",
    "published_day",
    "read_feed",
    "source_names",
    "story_id",
    "subject_tables",
    "subject_words",
    "too_crowded",
    "with_subject_words",
    "word_counts",
]

"""How common a word is in English at large: the prior behind a feed's word rarity.

Story identity weighs words by how rare they are in the feed (idf over the feed's
articles). On a feed that is one story's versions and little else, that measure
fails: every word of the story is in every article, so the words that say what the
story is ("Rudakubana", "Southport") weigh no more than "said", and the words each
rewrite has alone outweigh them all. An editor knows those names are rare without
counting the feed. So each word also counts as if found in `background_articles`
articles of general English, each holding it with the chance an article of
`ARTICLE_WORDS` words has of using a word of its frequency. With no feed around
it, a name weighs as a name; on a large feed the feed's own counts dominate.

The frequencies are wordfreq's English list (several corpora: news, books, web,
subtitles), read once and kept as a table.
"""

from __future__ import annotations

import math

import polars as pl

from .caching import table_cache

ARTICLE_WORDS = 400
"""The length of a typical news article, in words: the chance that an article uses a
word of frequency f is taken as 1 - exp(-ARTICLE_WORDS * f)."""


@table_cache
def background() -> pl.DataFrame:
    """(word, usage): each English word wordfreq knows, lower case, with the share of
    general-English articles taken to use it. Words it does not know (names never seen,
    words holding digits) are absent: as rare as can be."""
    frequency = _frequencies()
    return pl.DataFrame(
        {
            "word": list(frequency),
            "usage": [1.0 - math.exp(-ARTICLE_WORDS * f) for f in frequency.values()],
        },
        schema={"word": pl.String, "usage": pl.Float64},
    )


@table_cache
def _frequencies() -> dict[str, float]:
    """wordfreq's English frequencies, read once for both the table and `zipf`."""
    import wordfreq

    return dict(wordfreq.get_frequency_dict("en"))


def zipf(word: str) -> float:
    """How common a word is in English at large, on wordfreq's Zipf scale: about 7 for
    "the", 5 for "British", 3 for "Huntingdon", 0 for a word it does not know
    ("Postecolgou")."""
    frequency = _frequencies().get(word.lower(), 0.0)
    return math.log10(frequency) + 9.0 if frequency > 0 else 0.0


def rarity(df: pl.Expr, articles: int, usage: pl.Expr, background_articles: int) -> pl.Expr:
    """How rare a word found in `df` of the feed's `articles` is: `N / df` over the feed
    and `background_articles` of general English beside it, of which `usage` (0 to 1)
    use it. Its logarithm is the inverse document frequency; with no background this
    is the plain `N / df`."""
    return pl.lit(float(articles + background_articles)) / (
        df.cast(pl.Float64) + usage.fill_null(0.0) * background_articles
    )


__all__ = ["ARTICLE_WORDS", "background", "rarity", "zipf"]

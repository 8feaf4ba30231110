"""The matching thresholds, apart from the match stage: reading a settings file needs
them, and should not load the match stage's table engine to get them.

Every field is a key of `[thresholds]` in consistency.toml (README: Configuration).
"""

from __future__ import annotations

from dataclasses import dataclass

SCORER = "fuzz.ratio"
"""How a claim pair was scored: `fuzz.ratio` on canonical text (`keys.canonical_text`)..."""
MASKED_SCORER = "fuzz.ratio, slots masked"
"""...or on masked text (`keys.masked_text`), where that scored higher and decided..."""
WORDS_SCORER = "weighted shared words"
"""...or, for a rewrite paired by its rare words (each claim the other's best in its
source), the weight of the content words the two claims share over the geometric mean
of their weights (x100)."""


@dataclass(frozen=True, slots=True)
class MatchSettings:
    shingle_words: int = 3
    """Words per shingle used for blocking."""
    max_shingle_articles: int = 200
    """A shingle found in more articles than this is templated and not used for blocking."""
    max_shingle_claims: int = 50
    """Nor one that some article carries in more claims than this: in a list of hundreds of
    "X was rated good." lines in two versions it would make every pair of lines a
    candidate."""
    claim_cutoff: float = 80.0
    """Minimum fuzz.ratio (0-100, canonical text) for two claims to match."""
    related_cutoff: float = 50.0
    """Pairs scoring from here up to `claim_cutoff` are kept as related (paraphrases):
    compare looks in them only for a word changed between shared phrases."""
    related_word_share: float = 0.3
    """A claim without a counterpart in another source of its story is paired (related)
    with its mutual best there by rare words when the weight they share reaches this
    share of the geometric mean of their weights (content words, weighted by rarity over
    the feed's claims and general English: `match._counterparts`); above 1, never."""
    min_claim_words: int = 4
    """Claims shorter than this are not matched (too little text to be sure)."""
    max_claim_chars: int = 5000
    """Nor claims longer than this (canonical characters): a sentence is far shorter, and
    scoring and diffing two claims takes time that grows with the product of their
    lengths (a line without a full stop can be a claim as long as the 10 MB an article
    may hold)."""
    min_shared_claims: int = 2
    """Matched claims that link two articles into one story..."""
    long_claim_words: int = 15
    """...or one matched claim at least this long..."""
    entity_claim_words: int = 8
    """...or one matched claim at least this long when the two articles also name..."""
    min_shared_entities: int = 2
    """...at least this many of the same people and organisations."""
    story_cosine: float = 0.15
    """Story identity (consistency.stories): two articles whose word vectors, weighted by
    rarity in the feed, reach this cosine are linked..."""
    story_content_cosine: float = 0.05
    """...of which the words other than names (people, organisations, subjects) carry at
    least this much: names alone are not a story..."""
    background_articles: int = 200
    """...rarity counted as if the feed also held this many articles of general English
    (consistency.rarity: a one-story feed's names still weigh as names); 0, the feed alone..."""
    fact_weight: float = 1.0
    """...words holding a digit (figures, dates) weighing this many times more..."""
    entity_weight: float = 2.0
    """...and so the people and organisations the extract stage names..."""
    subject_words: int = 3
    """...unless their subjects differ: each article's this many heaviest proper words..."""
    min_subject_share: float = 0.35
    """...of whose weight neither article's words carry this share of the other's..."""
    main_subject_mentions: int = 2
    """...or each article's main subject is a word the other never uses (one template,
    two places): its heaviest subject, named at least this many times there..."""
    main_subject_lead: float = 1.5
    """...and weighing at least this many times its next subject..."""
    main_subject_usage: float = 0.01
    """...among its subjects rare in English (used by at most this share of general
    articles: "Fairleigh", not the "Police" of "Fairleigh Police")..."""
    max_days_apart: int = 60
    """...or their publication dates are more than this many days apart."""
    story_index_terms: int = 30
    """Blocking: each article is indexed under its this many heaviest words..."""
    max_term_articles: int = 200
    """...found in at most this many articles; only pairs sharing one are scored..."""
    max_crowded_articles: int = 500
    """...and articles whose heaviest words and subject are in more (one story carried
    by more outlets) are paired when they share such a subject, while at most this many
    do: a story's pairs grow as the square of its outlets."""
    story_link_fraction: float = 0.5
    """Average linkage: share of article pairs that must be linked for two groups to merge."""
    blocking: bool = True
    """False scores every pair of claims (the unblocked pipeline): for small feeds only,
    to check that blocking finds everything all-pairs scoring does."""


__all__ = ["MASKED_SCORER", "SCORER", "WORDS_SCORER", "MatchSettings"]

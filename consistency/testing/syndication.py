"""Putting a syndication together: the original and its copies, each copy carrying
benign edits and, if asked, injected changes, with every change recorded."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .. import domain
from ..models import Article, Severity, frozen_map
from .benign import BENIGN_EDITS, LOSES_CHARACTERS, curl, mojibake, rewrite_headline, text_edits
from .injectors import INJECTORS, KINDS, LOW_KINDS, available_kinds, injection_sites
from .records import Base, Change, Syndication, prepare, simulator_data
from .sites import QUOTE_MARKS, leans_back, self_contained
from .writers import Spot


@dataclass(frozen=True)
class _Edit:
    paragraph: int
    start: int
    end: int
    text: str
    change: Change


def _movable(paragraph: str) -> bool:
    return not (
        any(q in paragraph for q in QUOTE_MARKS)
        or domain.speech().verbs.search(paragraph)
        or leans_back(paragraph)
    )


def _copy_paragraphs(
    base: Base,
    edits: list[_Edit],
    names: Sequence[str],
    rng: random.Random,
    protected: frozenset[int] = frozenset(),
) -> tuple[list[str], list[str], list[str]]:
    """The copy's paragraphs after injected edits and paragraph-level benign edits,
    the paragraphs it dropped and the lines of furniture it gained. A benign drop
    spares the `protected` paragraphs, where other copies carry injected changes: an
    omission needs most versions to keep what one lacks."""
    paragraphs = list(base.paragraphs)
    for edit in sorted(edits, key=lambda e: (e.paragraph, e.start), reverse=True):
        p = paragraphs[edit.paragraph]
        paragraphs[edit.paragraph] = p[: edit.start] + edit.text + p[edit.end :]
    touched = {e.paragraph for e in edits}
    keep = [True] * len(paragraphs)
    dropped: list[str] = []
    for i, p in enumerate(paragraphs):
        if not p.strip():
            keep[i] = False
    if "dropped paragraph" in names:
        choices = [
            i
            for i in range(1, len(paragraphs))
            if i not in touched | protected and keep[i] and self_contained(base, i)
        ]
        if choices:
            i = rng.choice(choices)
            keep[i] = False
            dropped.append(paragraphs[i])
    order = [i for i in range(len(paragraphs)) if keep[i]]
    if "moved paragraph" in names:
        movable = [k for k, i in enumerate(order) if k >= 2 and _movable(paragraphs[i])]
        if movable:
            k = rng.choice(movable)
            index = order.pop(k)
            places = [
                j
                for j in range(1, len(order) + 1)
                if j == len(order) or _movable_before(paragraphs[order[j]])
            ]
            order.insert(rng.choice(places), index)
    out = [paragraphs[i] for i in order]
    if "headline" in names and 0 not in touched and out and out[0] == base.paragraphs[0]:
        out[0] = rewrite_headline(out[0], rng)
    furniture: list[str] = []
    if "furniture" in names:
        furniture = rng.sample(simulator_data()["furniture"], rng.randint(1, 3))
        for line in furniture:
            out.insert(rng.randint(1, len(out)), line)
    return out, dropped, furniture


def _movable_before(paragraph: str) -> bool:
    # Nothing may land between a paragraph and the one that leans on it.
    return not leans_back(paragraph)


def _pick_edits(
    base: Base, kinds: Sequence[str], copies: int, rng: random.Random
) -> list[list[_Edit | str]]:
    """For each copy, the injected edits (and the names of whole-copy kinds to apply)."""
    plans: list[list[_Edit | str]] = [[] for _ in range(copies)]
    used_claims: set[str] = set()
    for kind in kinds:
        slot = rng.randrange(copies)
        injector = INJECTORS[kind]
        if injector.sites is None or injector.write is None:
            if kind not in plans[slot]:
                plans[slot].append(kind)
            continue
        taken = {e.paragraph for e in plans[slot] if isinstance(e, _Edit)}
        sites = [
            s
            for s in injection_sites(base, kind)
            if s.claim.claim_id not in used_claims and s.paragraph not in taken
        ]
        rng.shuffle(sites)
        severity: Severity = "low" if kind in LOW_KINDS else "medium"
        for site in sites:
            written = injector.write(Spot(base, kind, site, severity, injector.also), rng)
            if written is None:
                continue
            text, change = written
            plans[slot].append(_Edit(site.paragraph, site.start, site.end, text, change))
            used_claims.add(site.claim.claim_id)
            break
    return plans


def syndicate(
    base: Base | Article,
    seed: int | random.Random = 0,
    *,
    copies: int = 4,
    injections: int | Sequence[str] = 0,
    benign: Sequence[str] = BENIGN_EDITS,
    benign_rate: float = 0.35,
    prefix: str | None = None,
) -> Syndication:
    """The original and `copies` copies of `base`.

    `injections` is a number of changes of kinds drawn at random from those the
    article has room for, or the list of kinds to inject (one change each). Each
    copy gets each edit in `benign` with probability `benign_rate`; the original
    sometimes carries page furniture the copies lack.
    """
    if isinstance(base, Article):
        base = prepare(base)
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    prefix = f"{base.source}-" if prefix is None else prefix
    if isinstance(injections, int):
        kinds_possible = [k for k in available_kinds(base) if copies >= INJECTORS[k].min_copies]
        kinds = [rng.choice(kinds_possible) for _ in range(injections)] if kinds_possible else []
    else:
        kinds = list(injections)
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown injection kinds: {', '.join(unknown)}")
    plans = _pick_edits(base, kinds, copies, rng)
    injected_at = frozenset(e.paragraph for plan in plans for e in plan if isinstance(e, _Edit))
    metadata = dict(base.metadata)

    original_edits = ("furniture",) if "furniture" in benign and rng.random() < 0.3 else ()
    original_paragraphs, _, furniture = _copy_paragraphs(base, [], original_edits, rng)
    original = Article(
        f"{prefix}orig",
        f"{prefix}orig.txt",
        "\n\n".join(original_paragraphs),
        1,
        frozen_map({**metadata, "outlet": f"{prefix}orig"}),
    )
    articles: list[Article] = []
    changes: list[Change] = _furniture_changes(original.source, furniture)
    changes += _inherited(base, original.source)
    edits_log: list[tuple[str, tuple[str, ...]]] = [(original.source, original_edits)]
    for index, plan in enumerate(plans, start=1):
        source = f"{prefix}copy{index}"
        names = tuple(n for n in benign if n in BENIGN_EDITS and rng.random() < benign_rate)
        edits = [e for e in plan if isinstance(e, _Edit)]
        paragraphs, dropped, furniture = _copy_paragraphs(base, edits, names, rng, injected_at)
        changes += _furniture_changes(source, furniture) + _inherited(base, source)
        if "encoding_damage" in plan:
            # Damage needs characters beyond ASCII: curl the quotes, never straighten
            # them, and keep every paragraph and "His Majesty's" apostrophe, which may
            # hold the article's only ones.
            names = tuple(n for n in names if n not in LOSES_CHARACTERS)
        body = text_edits("\n\n".join(paragraphs), names, rng)
        if "encoding_damage" in plan and body.isascii():
            body = curl(body)
        damaged = "encoding_damage" in plan or "mojibake" in names
        if damaged:
            broken = mojibake(body, rng.choice(simulator_data()["code_pages"]))
            if broken != body:
                body = broken
                changes.append(
                    Change(
                        "encoding_damage",
                        source,
                        "",
                        "",
                        catches=frozenset({"encoding_damage"}),
                        severity="low",
                        injected="encoding_damage" in plan,
                    )
                )
        changes += [_with_source(e.change, source) for e in edits]
        changes += [
            Change(
                "omission",
                source,
                text,
                "",
                text,
                catches=frozenset({"omission"}),
                severity="low",
                injected=False,
            )
            for text in dropped
        ]
        articles.append(
            Article(source, f"{source}.txt", body, 1, frozen_map({**metadata, "outlet": source}))
        )
        edits_log.append((source, names))
    return Syndication(original, tuple(articles), tuple(edits_log), tuple(changes))


def _inherited(base: Base, source: str) -> list[Change]:
    """What the checker finds in the original alone (an unofficial grade wording) every
    version inherits: true of each of them."""
    return [
        Change(
            row.kind,
            source,
            row.value_a,
            row.value_a,
            subject=row.subject,
            catches=frozenset({row.kind}),
            severity=row.severity,
            injected=False,
        )
        for row in base.result.discrepancies
    ]


def _furniture_changes(source: str, lines: list[str]) -> list[Change]:
    """Furniture most versions carry is a claim the others omit: true, if low."""
    omission = frozenset({"omission"})
    return [
        Change("omission", source, "", line, line, catches=omission, severity="low", injected=False)
        for line in lines
    ]


def _with_source(change: Change, source: str) -> Change:
    return replace(change, source=source)

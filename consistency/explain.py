"""What the checker makes of one file: the backend of `consistency claims FILE`.

For every article in the file: its source id and metadata, each repair the clean
stage made and why, the cleaned paragraphs with their lines in the original file,
then each claim with what the extract stage found in it (graded judgments with
subject and aspect, quotations with their speaker, people with their titles,
organisations). Plain text, for an editor asking "why did it read this so?".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from . import claims as claims_stage
from . import clean as clean_stage
from . import extract as extract_stage
from . import ingest
from .errors import InputError
from .models import Article, Claim, CleanArticle, Extraction, Judgment, Notice, Repair

CONTEXT = 40
"""Characters shown either side of a repair's change: enough to find it in the
line without printing a whole paragraph twice."""


def explain(path: Path) -> str:
    """A readable account of how every article in the file at `path` is read."""
    path = Path(path)
    if path.is_dir():
        raise InputError(str(path), "is a directory; give one article file")
    feed = ingest.read_feed([path])
    parts = [_notices(feed.notices)] if feed.notices else []
    parts += [explain_article(article) for article in feed.articles]
    return "\n\n".join(parts) + "\n"


def explain_article(article: Article) -> str:
    """The account of one article: what clean, claims and extract made of it."""
    cleaned = clean_stage.clean_article(article)
    found = claims_stage.article_claims(cleaned)
    extraction = extract_stage.extract_article(cleaned, found)
    lines = [
        f"== {article.source} ==",
        f"file: {article.path} (body from line {article.first_line})",
    ]
    lines += _metadata(cleaned)
    lines += _repairs(cleaned.repairs)
    lines += _paragraphs(cleaned)
    lines += _claims(found, extraction)
    return "\n".join(lines)


def _notices(notices: Iterable[Notice]) -> str:
    return "\n".join(f"note: {n.path}: {n.message}" for n in notices)


def _metadata(cleaned: CleanArticle) -> list[str]:
    out = ["", "metadata:"]
    shown = dict(cleaned.metadata)
    if cleaned.headline and "headline" not in shown:
        shown["headline"] = f"{cleaned.headline} (first line)"
    out += [f"  {key}: {value}" for key, value in sorted(shown.items())] or ["  (none)"]
    return out


def _repairs(repairs: tuple[Repair, ...]) -> list[str]:
    out = ["", f"repairs ({len(repairs)}):"]
    if not repairs:
        return [*out, "  (none)"]
    for repair in sorted(repairs, key=lambda r: r.line):
        out.append(f"  line {repair.line}  {repair.kind}: {repair.explanation}")
        if not repair.after:
            out.append(f"      removed: {repair.before}")
            continue
        before, after = _change(repair.before, repair.after)
        out.append(f"      before:  {before}")
        out.append(f"      after:   {after}")
        for damaged, fixed in repair.fixes:
            out.append(f"      fixed:   {damaged} -> {fixed}")
    return out


def _change(before: str, after: str) -> tuple[str, str]:
    """The part of two versions of a line around what changed, CONTEXT either side."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b, end_a = end_b - 1, end_a - 1
    lo = max(0, start - CONTEXT)

    def clip(text: str, end: int) -> str:
        hi = min(len(text), end + CONTEXT)
        return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")

    return clip(before, end_b), clip(after, end_a)


def _paragraphs(cleaned: CleanArticle) -> list[str]:
    out = ["", f"paragraphs ({len(cleaned.paragraphs)}):"]
    width = len(str(max((p.line for p in cleaned.paragraphs), default=1)))
    out += [f"  line {p.line:>{width}}  {p.text}" for p in cleaned.paragraphs]
    return out


def _claims(found: tuple[Claim, ...], extraction: Extraction) -> list[str]:
    notes: dict[str, list[str]] = defaultdict(list)
    for j in extraction.judgments:
        notes[j.claim_id].append(_judgment(j))
    for q in extraction.quotes:
        who = q.speaker or "(speaker not found)"
        how = "named beside it" if q.named else "implied"
        notes[q.claim_id].append(f"quotation: speaker {who} ({how})")
    for p in extraction.people:
        line = f"person: {p.name}" + (f", title: {p.title}" if p.title else "")
        if line not in notes[p.claim_id]:
            notes[p.claim_id].append(line)
    for o in extraction.orgs:
        line = f"organisation: {o.name}" + (f" ({o.kind})" if o.kind else "")
        if line not in notes[o.claim_id]:
            notes[o.claim_id].append(line)
    out = ["", f"claims ({len(found)}):"]
    for claim in found:
        head = f"  {claim.claim_id}  {claim.kind}  line {claim.line}"
        if claim.speaker:
            head += f"  speaker as written: {claim.speaker}"
            head += " (carried from an earlier quotation)" if claim.speaker_carried else ""
        out.append(head)
        out.append(f"      {claim.text}")
        out += [f"      - {note}" for note in notes.get(claim.claim_id, [])]
    return out


def _judgment(j: Judgment) -> str:
    if j.status == "graded":
        what = j.grade + (f' (written "{j.wording}")' if j.wording and j.wording != j.grade else "")
    elif j.status == "graded_unnamed":
        what = "graded, no grade named"
    else:
        what = "not graded"
    flags = [
        flag
        for flag, on in (
            ("negated", j.negated),
            ("in a quotation", j.quoted),
            ("an earlier inspection", j.previous),
        )
        if on
    ]
    extra = f" [{', '.join(flags)}]" if flags else ""
    return f"grade: {j.subject} / {j.aspect}: {what} (scale {j.scale}){extra}"

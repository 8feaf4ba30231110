"""Hostile and pathological input: it never crashes, never hangs, never varies.

- Every hostile shape of bench/pathological.py (a 600 KB line, thousands of quote
  marks, runs of capitalised words, "said", digits, "per cent", mojibake, tags ...) at
  about 150 KB goes through the whole pipeline under a hard limit. A pattern that
  backtracks exponentially, or a loop that is badly quadratic, never finishes inside
  it; this is no timing test, the limit is generous.
- The linear rewrites of what was quadratic agree with what they replaced.
- The three reports are byte-identical whatever the order and layout of the files,
  the number of workers and PYTHONHASHSEED.
- Fuzzed files (any text, any bytes, any JSON) give reports or a ConsistencyError,
  nothing else; real articles mutated at random (quote marks, spaces, lines, case,
  numbers) always give reports.

Example counts come from the hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency import claims, clean, extract, ingest, numbers, pipeline, report
from consistency.detectors import claims as changes
from consistency.errors import ConsistencyError
from consistency.models import Article
from consistency.testing import syndicate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REPORTS = ("discrepancies.csv", "claims.csv", "coverage.csv", "skipped.csv", "report.html")
LIMIT = 60
"""Seconds any one check may take here: ten times what the slowest shape needs on a
busy two-core machine, and far less than an exponential or quadratic pattern needs."""


@contextlib.contextmanager
def hard_limit(what: str, seconds: int = LIMIT) -> Iterator[None]:
    """Fail (not merely time) `what` if it runs longer than `seconds`. The failure is
    raised from a signal handler, which Python runs even inside a regex match."""

    def expire(signum: int, frame: object) -> None:
        pytest.fail(f"{what} did not finish in {seconds} s", pytrace=False)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pathological", ROOT / "bench" / "pathological.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
SIZE = 150_000
"""Characters of hostile text per version: an exponential pattern never ends at this size,
and the shapes together take about 40 s on two busy cores (bench/pathological.py goes
to 200 KB, and to 800 KB for the long line, with timings)."""


# --- pathological shapes -------------------------------------------------------------


SHAPES = sorted([*BENCH.SHAPES, *BENCH.DIFFERING])


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_a_hostile_shape_finishes_and_the_real_text_beside_it_still_matches(shape: str) -> None:
    first, second = BENCH.versions(shape, SIZE)
    with hard_limit(f"{shape} ({len(first):,} characters)"):
        result = pipeline.check_articles(BENCH.articles_of(first, second), workers=1)
    # The fixture paragraph beside the hostile text is still read and matched across
    # the two sources: the hostile text did not swallow or derail it.
    sentence = "West Mercia Police has been rated adequate for investigating crime, the"
    ids = {c.source: c.claim_id for c in result.claims if c.text.startswith(sentence)}
    assert set(ids) == {"hostile-a", "hostile-b"}
    pairs = {frozenset((m.claim_a, m.claim_b)) for m in result.matching.matches}
    assert frozenset(ids.values()) in pairs


def test_the_bench_builds_each_shape_at_the_size_asked() -> None:
    for name in SHAPES:
        first, second = BENCH.versions(name, SIZE)
        assert SIZE <= len(first) <= 4 * SIZE + 100 and first != second, name


# --- the linear rewrites agree with what they replaced ---------------------------------

_OLD_LAST_WORD = re.compile(r"([\w.]+)[.!?][”’'\")\]]*$")
SENTENCE_TEXT = st.text(alphabet=st.sampled_from("xyA1_. !?”’'\")]é\u0301“,"), max_size=40)


@given(SENTENCE_TEXT, st.data())
def test_the_last_word_is_what_the_old_regex_found(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    old = _OLD_LAST_WORD.search(text[start:end])
    assert claims._last_word(text, start, end) == (old.group(1) if old else "")


def test_sentences_still_split_after_a_word_and_not_after_an_abbreviation() -> None:
    text = "It was said by Mr. A. Smith. He was No. 1 in x.x.x!! Next one."
    pieces = [text[a:b] for a, b in claims.split_sentences(text)]
    assert pieces == ["It was said by Mr. A. Smith.", "He was No. 1 in x.x.x!!", "Next one."]


ATTRIBUTION_TEXT = st.lists(
    st.sampled_from([*" ,.;!?“”", "said", "Jo", "Bloggs", "he", "of", "the"]), max_size=30
).map("".join)


@given(ATTRIBUTION_TEXT, st.data())
def test_the_attribution_after_a_quotation_is_read_from_the_cut_text(
    text: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(text)))
    whole = claims._speaker_after.__wrapped__(text[at:])
    assert claims._speaker_after.__wrapped__(claims._attribution_after(text, at)) == whole


def _old_quotes(
    text: str, spans: list[tuple[int, int]], last_speaker: str
) -> list[tuple[int, int, str, bool]]:
    """claims._quotes as it was: the previous quotation found by scanning all of them."""
    out: list[tuple[int, int, str, bool]] = []
    attributed: list[str] = []
    for start, end in spans:
        prefix = text[: start - 1]
        previous_end = max((e for s, e in spans if e < start), default=0)
        between = text[previous_end + 1 : start - 1] if previous_end else prefix
        speaker = claims._speaker_before(between) if between.strip() else ""
        if not speaker:
            speaker = claims._speaker_after(text[end + 1 :])
        carried = not speaker
        if not speaker and start == 1:
            speaker = last_speaker
        if not speaker and attributed:
            speaker = attributed[-1]
        attributed.append(speaker)
        out.append((start, end, speaker, carried and bool(speaker)))
    return out


@given(ATTRIBUTION_TEXT)
def test_quotations_get_the_attributions_the_old_scan_gave(text: str) -> None:
    spans = claims.quote_spans(text)
    assert list(claims._quotes(text, spans, "Ann Lee")) == _old_quotes(text, spans, "Ann Lee")


def _old_restore(line: str, page: clean._CodePage) -> tuple[str, Counter[tuple[str, str]]]:
    """The dangling-byte repair as it was: one gap at a time, rescanning the line."""
    fixes: Counter[tuple[str, str]] = Counter()
    while (m := page.dangling.search(line)) is not None:
        before, after = line[: m.start()], line[m.end() :]
        if after[:1].isalnum():
            single = clean._CLOSING_SINGLE.search(after)
            double = after.find("”")
            guess = "‘" if single and (double == -1 or single.start() < double) else "“"
        else:
            opens = before.count("“") + before.count('"') - before.count("”")
            last = before.rstrip()[-1:]
            guess = "”" if opens > 0 or last.isalnum() or last in ".,!?;:" else "“"
        fixes[(m.group(), guess)] += 1
        line = line[: m.start()] + guess + line[m.end() :]
    return line, fixes


@pytest.mark.parametrize("code_page", ["cp1257", "cp1252", "latin-1"])
@given(data=st.data())
def test_lost_bytes_are_restored_as_the_old_rescan_restored_them(
    code_page: str, data: st.DataObject
) -> None:
    page = clean._code_page(code_page)
    lead = next(c for c, b in page.to_byte.items() if b == 0xE2)
    cont = next(c for c, b in page.to_byte.items() if b == 0x80)
    gap = lead + cont
    pieces = st.sampled_from([gap, gap, "\ufffd", "word", "’", "‘", "“", "”", '"', " ", ".", "x’s"])
    line = "".join(data.draw(st.lists(pieces, max_size=25)))
    fixes: Counter[tuple[str, str]] = Counter()
    assert (clean._restore_dangling(line, page, fixes), fixes) == _old_restore(line, page)


@given(
    st.lists(
        st.sampled_from(["on 14 May 2024", "12", "ten", "£3m", "4%", "in 2023", " ", "x"])
    ).map(" ".join),
    st.lists(st.tuples(st.integers(0, 80), st.integers(0, 20)), max_size=6),
)
def test_numbers_inside_skipped_spans_are_left_out_as_before(
    text: str, spans: list[tuple[int, int]]
) -> None:
    skip = [(a, a + n) for a, n in spans]
    everything = numbers.quantities(text, [])
    kept = [q for q in everything if not any(a < q.end and q.start < b for a, b in skip)]
    assert numbers.quantities(text, skip) == kept


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4)), max_size=12),
    st.integers(0, 60),
    st.integers(0, 5),
)
def test_a_change_touches_the_dates_numbers_and_grades_the_old_scan_found(
    gaps: list[tuple[int, int]], start: int, length: int
) -> None:
    # Spans in order, never overlapping (as one pattern finds them), some touching.
    spans, at = [], 0
    for gap, width in gaps:
        spans.append((at + gap, at + gap + width))
        at += gap + width
    items = tuple(spans)
    bounds = changes._bounds(spans)
    change = (start, start + length)
    expected = tuple(s for s in spans if changes._touches(*s, change))
    assert changes._touching(items, bounds, change) == expected


_Found = tuple[int, int, str, str, str]


def _old_subjects(found: list[_Found], position: int) -> list[tuple[str, str]]:
    """extract._subjects as it was, with an empty gazetteer."""
    candidates = [f for f in found if f[4] != "inspectorate"]
    before = [f for f in candidates if f[1] <= position]
    after = [f for f in candidates if f[0] >= position]
    chosen = before[-1] if before else (after[0] if after else None)
    if chosen is None:
        return []
    if chosen[2] == "*each*":
        return [
            (f[2], f[3])
            for f in candidates
            if f[2] != "*each*" and f[4] in (chosen[3], "") and f[0] < chosen[0]
        ]
    return [(chosen[2], chosen[3])]


def _named(found: list[_Found]) -> list[extract._OrgFound]:
    """The old tuples as extract now writes them: "*each*" became `distributive`."""
    return [
        extract._OrgFound(s, e, "", key, kind, True)
        if display == "*each*"
        else extract._OrgFound(s, e, display, key, kind)
        for s, e, display, key, kind in found
    ]


FOUND = st.lists(
    st.tuples(
        st.integers(0, 60),
        st.integers(1, 15),
        st.sampled_from(["Kent Police", "Essex Police", "*each*", "the unit"]),
        st.sampled_from(["kent", "essex", "force"]),
        st.sampled_from(["force", "unit", "inspectorate", ""]),
    )
    # A distributive phrase's key is its kind, as extract._orgs_in writes it.
    .map(lambda f: (f[0], f[0] + f[1], f[2], f[4] if f[2] == "*each*" else f[3], f[4])),
    max_size=12,
).map(sorted)


@given(FOUND, st.lists(st.integers(0, 80), max_size=8).map(sorted))
def test_grades_get_the_subjects_the_old_filter_gave(
    found: list[_Found], positions: list[int]
) -> None:
    subjects = extract._Subjects(_named(found), {})
    assert [subjects(p) for p in positions] == [_old_subjects(found, p) for p in positions]


@given(FOUND, st.sampled_from(["force", "unit"]), st.lists(st.integers(0, 80), max_size=8))
def test_generic_phrases_refer_where_the_old_sort_said(
    found: list[_Found], kind: str, positions: list[int]
) -> None:
    nearest = extract._Nearest(_named(found), kind)
    resolved: list[_Found] = []
    for number, position in enumerate(sorted(set(positions))):
        everything = found + resolved
        old = next(
            (f[3] for f in sorted(everything, reverse=True) if f[0] < position and f[4] == kind),
            "",
        )
        assert nearest.before(position) == old
        resolved.append((position, position + 3, "the force", f"k{number}", kind))
        nearest.resolved = extract._OrgFound(*resolved[-1])


# --- determinism ---------------------------------------------------------------------


def _feed() -> list[tuple[str, str]]:
    """(file name, contents): the West Mercia fixtures, three dev articles, and
    syndicated copies of two of them with benign edits and injected changes."""
    files = [(p.name, p.read_text("utf-8")) for p in sorted((FIXTURES / "west-mercia").glob("*"))]
    dev = sorted((FIXTURES / "articles" / "dev").glob("*.txt"))[:3]
    files += [(p.name, p.read_text("utf-8")) for p in dev]
    for seed, path in enumerate(dev[:2]):
        article = ingest.read_articles([path])[0]
        story = syndicate(article, seed, copies=3, injections=3, prefix=f"copy{seed}-")
        for copy in story.articles[1:]:
            front = "".join(f"{k}: {v}\n" for k, v in sorted(copy.metadata.items()))
            files.append((f"{copy.source}.txt", f"id: {copy.source}\n{front}---\n{copy.body}\n"))
    return files


def _write(files: list[tuple[str, str]], folder: Path, nested: bool) -> None:
    """Write the files, in the order given; `nested` spreads them over subfolders."""
    for number, (name, text) in enumerate(files):
        where = folder / (f"z{number % 3}" if nested else "") / ("deep" if number % 2 else "")
        where.mkdir(parents=True, exist_ok=True)
        (where / name).write_text(text, encoding="utf-8")


def _reports(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in REPORTS}


@pytest.mark.slow
def test_reports_are_byte_identical_whatever_the_order_workers_layout_and_hash_seed(
    tmp_path: Path,
) -> None:
    files = _feed()
    flat, nested = tmp_path / "flat", tmp_path / "nested"
    _write(files, flat, nested=False)
    _write(files[::-1], nested, nested=True)  # created in the reverse order, in subfolders
    runs: dict[str, dict[str, bytes]] = {}
    for workers in (1, 2):
        out = tmp_path / f"in-process-{workers}"
        report.write_reports(pipeline.check([flat], workers=workers), out)
        runs[f"in this process, {workers} worker(s)"] = _reports(out)
    for seed, folder, workers in (("1", flat, "1"), ("2", nested, "2")):
        out = tmp_path / f"hash-seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "consistency", "check", str(folder), "--out", str(out)]
        done = subprocess.run(
            [*command, "--workers", workers, "--quiet"], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        runs[f"PYTHONHASHSEED={seed}, {folder.name}, {workers} worker(s)"] = _reports(out)
    first_name, first = next(iter(runs.items()))
    for name, reports in runs.items():
        for written in REPORTS:
            assert reports[written] == first[written], f"{written}: {name} vs {first_name}"
    # A feed with something to agree on: many rows of several kinds, every source read.
    rows = first["discrepancies.csv"].decode().splitlines()[1:]
    assert len(rows) >= 10
    assert len({row.split(",")[1] for row in rows}) >= 4
    sources = {line.split(",")[1] for line in first["claims.csv"].decode().splitlines()[1:]}
    assert len(sources) == len(files)


# --- fuzzing -------------------------------------------------------------------------


def _real_lines() -> list[str]:
    paths = sorted((FIXTURES / "west-mercia").glob("*.txt"))
    return [line for p in paths for line in p.read_text("utf-8").splitlines()]


REAL = _real_lines()
ODD = [
    "\x00", "\x01", "\x1b", "\x7f", "\x85", "\u200b", "\u200e", "\u200f", "\u202e", "\u2066",
    "\u0301", "\u0308", "😀", "👩‍👩‍👧", "\r", "\r\n", "\u2028", "\u2029", "\ufeff", "\ufffd",
    "\t", "\x0c", "\n", "\n\n", '"', "“", "”", "‘", "’", "'", "ā€", "â€™", "Ã", "Â£", "£",
    "%", "-", "—", "=", ".", "said", "rated", "good", "Police", "Chief Constable", "---",
    "id: x\n", "outlet: y\n", "{", "}", "[", "]", "<p>", "</div>", "&amp;", "&#0;", "\\u0000",
]  # fmt: skip
"""Pieces hostile text is made of: control and invisible characters, direction marks,
combining marks, emoji, every line break, mojibake, markup, the checker's cue words."""

PIECE = st.one_of(
    st.sampled_from(ODD),
    st.sampled_from(REAL),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=20),
)
# Repeats make runs ("\u2028" two thousand times); 20,000 characters at most, as the
# shapes above already go to hundreds of kilobytes and each example here must stay quick.
HOSTILE_TEXT = st.lists(
    st.tuples(PIECE, st.sampled_from([1, 1, 1, 2, 3, 50, 2000])).map(lambda t: t[0] * t[1]),
    max_size=12,
).map(lambda pieces: "".join(pieces)[:20_000])
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | HOSTILE_TEXT,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["id", "outlet", "url", "published", "author", "headline", "body", "x"]
            ),
            inner,
            max_size=7,
        )
    ),
    max_leaves=8,
)
EXTENSIONS = ("txt", "md", "json", "jsonl", "html")


def _anything(extension: str) -> st.SearchStrategy[bytes]:
    """What a file of this extension may hold: any text, bytes, or (JSON) any value."""
    options = [
        HOSTILE_TEXT.map(lambda t: t.encode("utf-8")),
        st.binary(max_size=400),
        HOSTILE_TEXT.map(lambda t: t.encode("utf-16")),
    ]
    if extension == "json":
        options.append(JSON_VALUE.map(lambda v: json.dumps(v).encode()))
    if extension == "jsonl":
        lines = st.lists(JSON_VALUE.map(json.dumps), min_size=1, max_size=3)
        options.append(lines.map(lambda ls: "\n".join(ls).encode()))
    return st.one_of(options)


def _readable(extension: str, text: str) -> bytes:
    """Hostile text in a container the reader accepts: the text is what is hostile."""
    if extension == "json":
        return json.dumps({"headline": text[:80], "body": text}).encode()
    if extension == "jsonl":
        return "\n".join(json.dumps({"body": part}) for part in (text, text[::-1])).encode()
    if extension == "html":
        return f"<html><body><article><p>{text}</p><p>{text}</p></article></body></html>".encode()
    return text.encode("utf-8")


ANY_FILES = st.lists(
    st.sampled_from(EXTENSIONS).flatmap(lambda ext: st.tuples(st.just(ext), _anything(ext))),
    min_size=2,
    max_size=3,
)
# Readable files sharing a hostile text (before or after one of their own), so that the
# matcher and the detectors get hostile claims to pair and to diff.
READABLE_FILES = st.tuples(
    HOSTILE_TEXT.filter(str.strip),
    st.lists(
        st.tuples(st.sampled_from(EXTENSIONS), HOSTILE_TEXT, st.booleans()), min_size=2, max_size=3
    ),
).map(
    lambda drawn: [
        (ext, _readable(ext, drawn[0] + own if first else own + drawn[0]))
        for ext, own, first in drawn[1]
    ]
)
FUZZ = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _reports_or_consistency_error(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        feed, out = Path(folder) / "feed", Path(folder) / "out"
        feed.mkdir()
        for number, (extension, data) in enumerate(files):
            (feed / f"f{number}.{extension}").write_bytes(data)
        with hard_limit("a fuzzed feed"):
            try:
                result = pipeline.check([feed], workers=1)
            except ConsistencyError:
                return
            report.write_reports(result, out)
        header = (out / "discrepancies.csv").read_text("utf-8").splitlines()[0]
        assert header.startswith("id,kind,severity,subject,source_a,source_b")
        # Every claim is text from a source that was read, on a line of its file.
        sources = {a.source for a in result.articles}
        for claim in result.claims:
            assert claim.text.strip() and claim.source in sources and claim.line >= 1


@FUZZ
@given(ANY_FILES)
def test_any_files_give_reports_or_a_consistency_error(files: list[tuple[str, bytes]]) -> None:
    _reports_or_consistency_error(files)


@FUZZ
@given(READABLE_FILES)
def test_hostile_text_in_readable_files_gives_reports_or_a_consistency_error(
    files: list[tuple[str, bytes]],
) -> None:
    _reports_or_consistency_error(files)


MUTATIONS = ("quote", "unspace", "double", "case", "number", "split", "join")


def _mutate(lines: list[str], edits: list[tuple[str, int, int]]) -> str:
    """Real lines with edits a careless feed makes: a stray quote mark, lost spaces, a
    doubled line, odd capitals, a different number, a line broken or two run together."""
    lines = list(lines)
    for kind, where, amount in edits:
        if not lines:
            break
        i = where % len(lines)
        line = lines[i]
        at = amount % (len(line) + 1)
        if kind == "quote":
            lines[i] = line[:at] + '"“”‘’'[amount % 5] + line[at:]
        elif kind == "unspace":
            lines[i] = line[:at] + line[at:].replace(" ", "", amount % 4 + 1)
        elif kind == "double":
            lines.insert(i, line)
        elif kind == "case":
            lines[i] = line.upper() if amount % 2 else line.swapcase()
        elif kind == "number":
            lines[i] = re.sub(r"\d+", str(amount), line, count=1) or f"{amount} {line}"
        elif kind == "split":
            lines[i : i + 1] = [line[:at], line[at:]]
        else:
            lines[i : i + 2] = [" ".join(lines[i : i + 2])]
    return "\n".join(lines)


EDITS = st.lists(
    st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10_000), st.integers(0, 10_000)),
    max_size=15,
)


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(REAL) - 1), st.integers(5, 60), EDITS), min_size=2, max_size=3
    )
)
def test_mutated_real_articles_always_give_reports(
    versions: list[tuple[int, int, list[tuple[str, int, int]]]],
) -> None:
    articles = tuple(
        Article(f"v{n}", f"v{n}.txt", _mutate(REAL[start : start + length], edits))
        for n, (start, length, edits) in enumerate(versions)
    )
    with hard_limit("a mutated feed"):
        result = pipeline.check_articles(articles, workers=1)
        again = pipeline.check_articles(articles[::-1], workers=1)
    assert again.discrepancies == result.discrepancies
    lines = {a.source: a.body.count("\n") + 1 for a in articles}
    for claim in result.claims:
        assert 1 <= claim.line <= lines[claim.source]
    for row in result.discrepancies:
        assert {row.source_a, row.source_b} - {""} <= set(lines)
    with tempfile.TemporaryDirectory() as out:
        written = report.write_reports(result, out)
        assert {p.name for p in written} >= set(REPORTS)


@pytest.mark.parametrize("extension", ["json", "jsonl"])
def test_json_nested_too_deeply_is_an_input_error(tmp_path: Path, extension: str) -> None:
    (tmp_path / f"deep.{extension}").write_text("[" * 100_000, encoding="utf-8")
    (tmp_path / "plain.txt").write_text("Kent Police was rated good.\n", encoding="utf-8")
    with pytest.raises(ConsistencyError, match="nested too deeply"):
        pipeline.check([tmp_path], workers=1)
    lenient = pipeline.check([tmp_path], workers=1, keep_going=True)
    problems = [skipped.problem for skipped in lenient.skipped]
    assert problems == ["JSON nested too deeply to be an article record"]


def test_a_feed_of_only_unreadable_files_is_a_consistency_error(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"body": 1}\n[', encoding="utf-8")
    with pytest.raises(ConsistencyError):
        pipeline.check([tmp_path], workers=1)

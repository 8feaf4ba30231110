"""Engines: `consistency check` with the local engine and with `--engine spark`, side by side.

For each size, the bench's distinct feed (bench/scale.py `make_corpus`) is written to
disk and checked twice, each time by `consistency check` in a fresh process: with
the local engine (every core) and with the Spark engine on `--spark-master`
(default `local[2]`). The table gives wall seconds, peak memory (PSS summed over
the process tree, sampled every 0.5 s: Spark's JVM and Python workers included) and
whether the two runs' reports are byte-equal. No CPU column: Spark's Python workers
are the JVM's children, and how much of their CPU time reaches this process's
accounting depends on how the JVM ends them.

    python bench/engines.py 1000 5000
    python bench/engines.py 5000 --spark-master 'local[2]' --spark-partitions 16
"""

from __future__ import annotations

import argparse
import filecmp
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # bench/scale.py, beside this file


def run(feed: Path, out: Path, extra: list[str], limit_mib: float = 0) -> dict[str, float]:
    """One `consistency check` of `feed` in a fresh process: wall seconds, peak PSS.
    With `limit_mib`, the run is stopped once its process tree holds more than that
    (then "failed" is 1 and the wall time is when it was stopped). A run that fails
    by itself (exit status 2 and over: the one-line error on stderr) has "failed" 2,
    its time and peak measured up to then: a figure too."""
    command = [sys.executable, "-m", "consistency", "check", str(feed), "--out", str(out), "-q"]
    start = time.perf_counter()
    failed = 0.0
    with scale.MemoryWatch() as memory:
        # As from a shell: importing scale loaded polars here, which put its own
        # allocator setting in the environment, where the child would keep it.
        env = {**os.environ, "_RJEM_MALLOC_CONF": scale.caching.POLARS_ALLOCATOR}
        child = subprocess.Popen([*command, *extra], env=env, start_new_session=True)
        while child.poll() is None:
            if limit_mib and memory.peak_kib / 1024 > limit_mib:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                failed = 1.0
                break
            time.sleep(0.25)
        if not failed and child.returncode not in (0, 1):
            failed = 2.0
    return {
        "wall": time.perf_counter() - start,
        "pss_mib": memory.peak_kib / 1024,
        "failed": failed,
    }


def same_reports(left: Path, right: Path) -> bool:
    """Whether every file `right` holds is in `left`, byte-equal (an archive check
    writes no report.html), and `right` is not empty."""
    names = sorted(p.name for p in right.iterdir())
    return bool(names) and all(
        (left / n).exists() and filecmp.cmp(left / n, right / n, shallow=False) for n in names
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, help="articles per feed")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--spark-partitions", type=int, default=None)
    parser.add_argument(
        "--archive", action="store_true", help="the Spark runs check a part at a time"
    )
    parser.add_argument(
        "--local-limit-mib",
        type=float,
        default=0,
        help="stop the local run once it holds more than this (its failure is a figure)",
    )
    parser.add_argument("--feed", type=Path, default=None, help="a feed folder to check instead")
    args = parser.parse_args(argv)
    spark = ["--engine", "spark", "--spark-master", args.spark_master]
    if args.spark_partitions:
        spark += ["--spark-partitions", str(args.spark_partitions)]
    if args.archive:
        spark.append("--archive")
    print(
        "| articles | engine | wall s | peak PSS MiB | reports byte-equal |\n"
        "|---:|:---|---:|---:|:---:|"
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="engines-") as tmp:
            feed = args.feed or Path(tmp) / "feed"
            if args.feed is None:
                scale.write_corpus(scale.make_corpus(size), feed)
            local = run(feed, Path(tmp) / "local", [], args.local_limit_mib)
            on_spark = run(feed, Path(tmp) / "spark", spark)
            both = not local["failed"] and not on_spark["failed"]
            same = both and same_reports(Path(tmp) / "local", Path(tmp) / "spark")
            name = f"spark {args.spark_master}" + (" --archive" if args.archive else "")
            for engine, figures in (("local", local), (name, on_spark)):
                stopped = {
                    0.0: "",
                    1.0: f" (stopped over {args.local_limit_mib:,.0f} MiB)",
                    2.0: " (failed)",
                }[figures["failed"]]
                equal = "yes" if same else ("NO" if both else "-")
                print(
                    f"| {size:,} | {engine}{stopped} | {figures['wall']:.1f} "
                    f"| {figures['pss_mib']:,.0f} | {equal} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # bench/scale.py, beside this file


def run(feed: Path, out: Path, extra: list[str]) -> dict[str, float]:
    """One `consistency check` of `feed` in a fresh process: wall seconds, peak PSS."""
    command = [sys.executable, "-m", "consistency", "check", str(feed), "--out", str(out), "-q"]
    start = time.perf_counter()
    with scale.MemoryWatch() as memory:
        # As from a shell: importing scale loaded polars here, which put its own
        # allocator setting in the environment, where the child would keep it.
        env = {**os.environ, "_RJEM_MALLOC_CONF": scale.caching.POLARS_ALLOCATOR}
        subprocess.run([*command, *extra], check=True, env=env)
    return {"wall": time.perf_counter() - start, "pss_mib": memory.peak_kib / 1024}


def same_reports(left: Path, right: Path) -> bool:
    names = sorted(p.name for p in left.iterdir())
    return names == sorted(p.name for p in right.iterdir()) and all(
        filecmp.cmp(left / n, right / n, shallow=False) for n in names
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, help="articles per feed")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--spark-partitions", type=int, default=None)
    args = parser.parse_args(argv)
    spark = ["--engine", "spark", "--spark-master", args.spark_master]
    if args.spark_partitions:
        spark += ["--spark-partitions", str(args.spark_partitions)]
    print(
        "| articles | engine | wall s | peak PSS MiB | reports byte-equal |\n"
        "|---:|:---|---:|---:|:---:|"
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="engines-") as tmp:
            feed = Path(tmp) / "feed"
            scale.write_corpus(scale.make_corpus(size), feed)
            local = run(feed, Path(tmp) / "local", [])
            on_spark = run(feed, Path(tmp) / "spark", spark)
            same = same_reports(Path(tmp) / "local", Path(tmp) / "spark")
            for name, figures in (("local", local), (f"spark {args.spark_master}", on_spark)):
                print(
                    f"| {size:,} | {name} | {figures['wall']:.1f} | {figures['pss_mib']:,.0f} "
                    f"| {'yes' if same else 'NO'} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

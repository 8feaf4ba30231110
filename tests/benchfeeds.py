"""bench/scale.py's feed generators, for tests that want its feeds (loaded once)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def bench() -> ModuleType:
    """bench/scale.py as a module (registered, since its dataclasses look it up)."""
    if "scale_bench" in sys.modules:
        return sys.modules["scale_bench"]
    spec = importlib.util.spec_from_file_location("scale_bench", ROOT / "bench" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def shared_people_feed(folder: Path) -> Path:
    """200 articles: 40 stories of five versions, written from the fixture articles
    without renaming anyone, so that stories share people (the same inspector, chief
    constable or spokesperson in eight stories) as a day's feed does."""
    from consistency.testing import syndicate

    scale = bench()
    bases = scale._bases()
    articles = []
    for story in range(40):
        syndication = syndicate(
            bases[story % len(bases)], 7_000 + story, copies=4, injections=1, prefix=f"s{story}-"
        )
        articles += syndication.articles
    scale.write_corpus(tuple(articles), folder)
    return folder

"""Reading HTML when trafilatura, or a module it imports, cannot be imported: the error
names the module that failed and the install that fixes it, on one line, with the file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency import ingest
from consistency.cli import app
from consistency.errors import InputError

PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "hereford-bulletin.html"
# Imported afresh in each test, so that a module blocked below is really looked for.
REIMPORTED = ("trafilatura", "justext", "lxml.html.clean", "lxml_html_clean")


@pytest.fixture
def fresh_imports() -> Iterator[None]:
    """sys.modules without trafilatura and what reading HTML imports through it; put back
    as it was afterwards, modules half-imported by the test dropped."""
    saved = dict(sys.modules)
    for name in list(sys.modules):
        if any(name == m or name.startswith(m + ".") for m in REIMPORTED):
            del sys.modules[name]
    try:
        yield
    finally:
        for name in set(sys.modules) - set(saved):
            del sys.modules[name]
        sys.modules.update(saved)


def _lxml_moved_clean_out() -> bool:
    """lxml 5.2+ ships lxml.html.clean as a stub importing lxml_html_clean."""
    import lxml

    major, minor = (int(p) for p in lxml.__version__.split(".")[:2])
    return (major, minor) >= (5, 2)


@pytest.mark.parametrize(
    ("blocked", "named", "install"),
    [
        # lxml's stub raises a plain ImportError (no name) when lxml_html_clean is missing.
        ("lxml_html_clean", "lxml.html.clean", "pip install lxml_html_clean"),
        ("lxml.html.clean", "lxml.html.clean", "pip install lxml_html_clean"),
        ("justext", "justext.core", "pip install justext"),
        ("trafilatura", "trafilatura", "pip install trafilatura"),
    ],
)
def test_a_missing_module_is_named_with_its_install(
    fresh_imports: None, blocked: str, named: str, install: str
) -> None:
    if blocked == "lxml_html_clean" and not _lxml_moved_clean_out():
        pytest.skip("lxml before 5.2 has lxml.html.clean itself")
    sys.modules[blocked] = None  # type: ignore[assignment]  # import raises ImportError
    with pytest.raises(InputError) as caught:
        list(ingest.read_file(PAGE))
    message = str(caught.value)
    assert caught.value.path == str(PAGE)
    assert message.startswith(f"{PAGE}: ")
    assert f" {named}," in message and install in message
    assert "\n" not in message


def test_the_cli_says_it_in_one_line(fresh_imports: None, tmp_path: Path) -> None:
    sys.modules["lxml_html_clean"] = None  # type: ignore[assignment]
    sys.modules["lxml.html.clean"] = None  # type: ignore[assignment]
    result = CliRunner().invoke(app, ["check", str(PAGE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {PAGE}: ") and "pip install lxml_html_clean" in line
    assert not (tmp_path / "out").exists()


def test_html_reads_when_everything_imports() -> None:
    (article,) = ingest.read_file(PAGE)
    assert article.body

"""The system's headless Chromium, driven by Playwright, for tests of report.html.

Never a downloaded browser: the tests use Debian's /usr/bin/chromium. Without it
they skip, unless CONSISTENCY_REQUIRE_BROWSER=1 (as CI sets), when they fail, so a
CI image that lost its browser cannot pass by skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, Request

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CONSISTENCY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and CONSISTENCY_REQUIRE_BROWSER=1 requires it")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Browser]:
    """The system Chromium, headless, for the duration of the block."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Loaded:
    """A page loaded from a file, and everything it asked for or raised while loading."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    """Every request the page started, including those its policy then blocked."""
    blocked: list[str] = field(default_factory=list)
    """Requests the Content-Security-Policy stopped before they were sent."""
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def sent(self) -> list[str]:
        """Requests that went out (not blocked by the page's policy)."""
        return [url for url in self.requests if url not in self.blocked]


def load(browser: Browser, path: Path, javascript: bool = True) -> Loaded:
    """Open `path` in a fresh context, recording requests, dialogs and script errors."""
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    loaded = Loaded(page, path.resolve().as_uri())
    page.on("request", lambda request: loaded.requests.append(request.url))
    page.on("pageerror", lambda error: loaded.errors.append(str(error)))

    def failed(request: Request) -> None:
        if request.failure == "csp":
            loaded.blocked.append(request.url)

    page.on("requestfailed", failed)

    def dialog(d: Dialog) -> None:
        loaded.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(loaded.url, wait_until="load")
    return loaded

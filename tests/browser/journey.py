"""One person's walk through the served app in Chromium, checked at every step as a user would
meet it: no server error, no JavaScript error, no failed request, nothing wider than the screen,
no serious accessibility fault (axe-core, WCAG 2.2 AA), and a screenshot to look at."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, Response

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


@dataclass
class Journey:
    name: str
    size: str
    base_url: str
    context: BrowserContext
    shots: Path
    page: Page = field(init=False)
    problems: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    steps: int = 0

    def __post_init__(self) -> None:
        self.page = self.context.new_page()
        self.watch(self.page)

    # -- what is watched all the time ---------------------------------------------------------
    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.problems.append(f"console error: {message.text} {where}".strip())

    def _request_failed(self, request: Any) -> None:
        failure = request.failure or ""
        # A navigation replaced by the next one, or a file handed to the download manager,
        # ends as ERR_ABORTED without anything being wrong.
        if "ERR_ABORTED" in failure:
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({failure})")

    def _response(self, response: Response) -> None:
        status = response.status
        if status >= 500:
            self.problems.append(f"server error {status}: {response.request.method} {response.url}")
        elif status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"failed resource {status}: {response.url}")

    # -- a step --------------------------------------------------------------------------------
    def go(self, path: str) -> Response | None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (
            f"{path} answered {response.status if response else 'nothing'}"
        )
        return response

    def step(self, label: str, page: Page | None = None) -> None:
        """Checks the page as it stands now and keeps a screenshot of it."""
        page = page or self.page
        page.wait_for_load_state("load")
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        page.screenshot(
            path=str(self.shots / f"{self.name}-{self.size}-{self.steps:02d}-{slug}.png"),
            full_page=True,
        )
        where = f"[{self.name}/{self.size} step {self.steps} {label!r} at {page.url}]"
        found = [*self.problems, *_overflow(page), *_accessibility(page)]
        self.problems.clear()
        self.found.extend(f"{where} {problem}" for problem in found)

    def finish(self) -> None:
        """Fails with every problem met on the way (each step's, not only the first one's)."""
        self.step("the end")
        assert not self.found, f"{len(self.found)} problems:\n" + "\n".join(self.found)

    def agree_to_next_question(self, page: Page | None = None) -> list[str]:
        """Accepts the next confirm() the page asks; the returned list receives its text, so
        a test can prove the question was asked."""
        asked: list[str] = []

        def agree(dialog: Any) -> None:
            asked.append(dialog.message)
            dialog.accept()

        (page or self.page).once("dialog", agree)
        return asked

    def fetch(self, url: str) -> Any:
        """A download as the browser would make it (with this person's cookies)."""
        answer = self.page.request.get(url if url.startswith("http") else self.base_url + url)
        assert answer.ok, f"{url} answered {answer.status}"
        return answer


def _overflow(page: Page) -> list[str]:
    wide = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width + 1) return [];
            return [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > width + 1)
              .filter(e => !e.closest('.scroll-x, [data-scrolls]'))
              .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' +
                               (e.textContent || '').trim().slice(0, 40));
        }"""
    )
    return [f"wider than the screen: {', '.join(wide)}"] if wide else []


def _accessibility(page: Page) -> list[str]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    return [
        f"accessibility ({v['impact']}) {v['id']}: {v['help']} — "
        + "; ".join(n["target"][0] if n.get("target") else "?" for n in v["nodes"][:3])
        for v in serious
    ]

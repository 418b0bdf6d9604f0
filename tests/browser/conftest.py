"""A real Chromium (Debian's, never a downloaded one) driven by Playwright.

Every page a journey visits is checked with axe-core (from npm, `make assets` installs it)
against the WCAG 2.2 A and AA rules, and a screenshot of it saved under test-artifacts/:
`screenshot(page, name)` does both, and a journey that visits a page without calling it
fails at the end, naming the page.
"""

import collections
import contextlib
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe-core's tags for every WCAG 2.0, 2.1 and 2.2 success criterion at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
_shown = {}  # id(page): what it showed (`_Shown`), for pages with JavaScript on
_without_javascript = set()  # id(page) of pages with JavaScript off
_names = collections.Counter()  # screenshots taken under each name in this process


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium for the browser tests.")
        pytest.skip("No chromium here: `apt-get install chromium` to run the browser tests.")
    # Playwright's sync API runs an event loop in this thread; the live server's
    # database calls happen in its own thread, so this only silences Django's guard.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class _Shown:
    """The pages a browser showed, in order, and which of those showings were checked."""

    def __init__(self):
        self.paths = []  # the path of each page load, in order
        self.checked = set()  # indexes into `paths`

    def unchecked(self):
        """Paths whose latest showing was not checked: a page shown again after a form was
        sent (with an error summary, say) must be checked again."""
        latest = {path: n for n, path in enumerate(self.paths)}
        return [path for path, n in latest.items() if n not in self.checked]


@contextlib.contextmanager
def open_page(browser, *, javascript=True, **options):
    """A page in a fresh browser context (a person's own browser), closed at the end. With
    JavaScript on, the latest showing of every page it showed must have been checked by
    `screenshot` by then."""
    context = browser.new_context(java_script_enabled=javascript, **options)
    page = context.new_page()
    shown = _Shown()
    if javascript:
        page.on(
            "framenavigated",
            lambda frame: frame == page.main_frame and shown.paths.append(_path(frame.url)),
        )
        _shown[id(page)] = shown
    else:
        _without_javascript.add(id(page))
    try:
        yield page
    finally:
        context.close()
        _shown.pop(id(page), None)
        _without_javascript.discard(id(page))
    unchecked = shown.unchecked()
    assert not unchecked, f"Pages shown but not checked with screenshot(): {unchecked}"


@pytest.fixture
def page(browser):
    with open_page(browser) as page:
        yield page


def _path(url):
    return urlsplit(url).path


def screenshot(page, name):
    """The page as it is now, once loaded: checked with axe-core against WCAG 2.2 A and AA
    (the test fails on any violation, listing them), and a screenshot saved for a person
    to look at (test-artifacts/, not committed)."""
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    _names[name] += 1  # a name used again (a second sign-in, say) gets a number
    file_name = name if _names[name] == 1 else f"{name}-{_names[name]}"
    page.screenshot(path=str(ARTIFACTS / f"{file_name}.png"), full_page=True)
    if id(page) in _without_javascript:  # axe needs JavaScript (see ADR 12)
        return
    violations = axe_violations(page)
    assert not violations, f"WCAG 2.2 AA violations on {name} ({page.url}):\n" + json.dumps(
        violations, indent=2
    )
    shown = _shown.get(id(page))
    if shown is not None and shown.paths and shown.paths[-1] == _path(page.url):
        shown.checked.add(len(shown.paths) - 1)


def axe_violations(page):
    """axe-core's violations of the WCAG A and AA rules on the page as it is now. The page's
    content security policy allows no injected script tag, so axe's source is evaluated
    through the browser's developer protocol instead."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                rule: v.id,
                impact: v.impact,
                help: v.help,
                where: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
            }));
        }""",
        WCAG_AA,
    )


@pytest.fixture(autouse=True)
def _kernel_rows(kernel_rows):
    """Browser tests are transactional: see `kernel_rows`."""


def tab_to(page, locator, *, most=100):
    """Press Tab until `locator` has the focus, as a keyboard user moves through the page:
    fails if it never does (it cannot be reached by keyboard)."""
    for _ in range(most):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} was not reached in {most} presses of Tab")


def type_into(page, locator, text):
    """Tab to a field and type into it, key by key."""
    tab_to(page, locator)
    page.keyboard.type(text)


def type_date(page, locator, day):
    """Tab to a date field and type the date key by key. Debian's Chromium lays the field
    out month, day, year (its own language, whatever the page's), so the keys go in that
    order; the field's value is then checked, so a browser laid out otherwise fails here."""
    tab_to(page, locator)
    page.keyboard.type(day.strftime("%m%d%Y"))
    assert locator.input_value() == day.isoformat()


def press_on(page, locator, key="Enter", *, opens_page=True):
    """Tab to a link or button and press a key on it (Space for a checkbox or radio). For
    Enter on a link or button that opens a page, wait for that page to load."""
    tab_to(page, locator)
    if key == "Enter" and opens_page:
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def pdf_text_if_tagged(path):
    """The text of a PDF the service made, after checking it is tagged (a structure tree
    for screen readers, marked as tagged, with a document language and title), as PDF/UA
    asks; whitespace folded."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF is not tagged"
    assert root["/MarkInfo"]["/Marked"], "the PDF is not marked as tagged"
    assert str(root.get("/Lang", "")).lower().startswith("en"), "the PDF has no language"
    assert reader.metadata and reader.metadata.title, "the PDF has no title"
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

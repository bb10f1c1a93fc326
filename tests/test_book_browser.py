"""The built book in a real browser: headless Chromium opens every page.

Runs only with ``--book`` (after ``make book``; ``.ci/run`` does both)::

    .venv/bin/python -m pytest tests/test_book_browser.py --book            # uses _build/html
    .venv/bin/python -m pytest tests/test_book_browser.py --book=PATH/html

The test does not build the book: it checks the ``_build/html`` that ``make book`` produced
(building takes the notebooks' execution time and belongs to ``make book``). It serves that
folder on 127.0.0.1 with a server that logs every request, starts Debian's ``chromium``
itself (``$LSH_CHROMIUM`` to use another binary) and drives it over the DevTools protocol
through a pipe (``--remote-debugging-pipe``: no port, no extra Python package). Any host other
than 127.0.0.1 is unresolvable inside the browser, and every request a page makes is recorded,
so a page that reaches outside the local files fails the test even though it cannot succeed.

For each page: every image loaded with a non-zero size, each research-question chapter shows
its figures and tables (the claims table included), no request left the local server, the
server answered every request, and a full-page screenshot goes to ``_build/screenshots/``.
``index.html`` is only a redirect: it is checked to land on the introduction.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RQ_PAGES = ("rq1_overall", "rq2_imbalance", "rq3_extreme", "rq4_robustness", "rq5_efficiency")
WIDTH, HEIGHT, MAX_HEIGHT = 1400, 900, 16000

pytestmark = pytest.mark.book


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def html_dir(request) -> Path:
    option = request.config.getoption("--book")
    if option is None:
        pytest.skip("browser test of the built book: run with --book after `make book`")
    path = Path(option) if option != "default" else ROOT / "_build" / "html"
    if not (path / "index.html").is_file():
        pytest.fail(f"no built book at {path}: run `make book` first")
    return path


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@pytest.fixture(scope="module")
def server(html_dir):
    log: list[tuple[str, int]] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code="-", size="-"):
            log.append((self.path, int(code) if str(code).isdigit() else 0))

        def log_message(self, *args):  # keep the test output clean
            pass

    httpd = _Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(html_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", log
    httpd.shutdown()
    httpd.server_close()


class Browser:
    """A minimal DevTools-protocol client over Chromium's pipe (fd 3 in, fd 4 out)."""

    def __init__(self, binary: str, profile_dir: str):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire():  # in the child: its fd 3 reads our commands, its fd 4 writes answers
            high_r, high_w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(high_r, 3, inheritable=True)
            os.dup2(high_w, 4, inheritable=True)

        args = [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                f"--user-data-dir={profile_dir}", "about:blank"]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=wire)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.session = None

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass

    def _read_message(self, deadline: float) -> dict:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the pipe (exit code {self.process.poll()})")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, *, timeout: float = 60, session: bool = True) -> dict:
        self._next_id += 1
        command = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            command["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for index, message in enumerate(self.events):
            if message["method"] == event:
                return self.events.pop(index)
        while True:
            message = self._read_message(deadline)
            if message.get("method") == event:
                return message
            if "method" in message:
                self.events.append(message)

    def drain(self, quiet: float = 0.5) -> None:
        """Collect events until none arrives for ``quiet`` seconds."""
        while True:
            try:
                message = self._read_message(time.monotonic() + quiet)
            except TimeoutError:
                return
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")


@pytest.fixture(scope="module")
def browser():
    binary = os.environ.get("LSH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium (or set LSH_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="lsh-chromium-") as profile:
        chrome = Browser(binary, profile)
        try:
            target = chrome.send("Target.createTarget", {"url": "about:blank"}, session=False)
            attached = chrome.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True},
                                   session=False)
            chrome.session = attached["sessionId"]
            for domain in ("Page", "Network", "Runtime"):
                chrome.send(f"{domain}.enable")
            chrome.send("Network.setCacheDisabled", {"cacheDisabled": True})
            yield chrome
        finally:
            chrome.close()


# ----------------------------------------------------------------------------- the visit


PAGE_FACTS = """
(() => {
  const main = document.querySelector('main') || document.body;
  const images = [...document.images].map(i => ({src: i.currentSrc || i.src, complete: i.complete,
      natural: [i.naturalWidth, i.naturalHeight], shown: [i.getBoundingClientRect().width,
      i.getBoundingClientRect().height], inMain: main.contains(i)}));
  const tables = [...main.querySelectorAll('table')].map(t => ({id: t.id, rows: t.rows.length,
      shown: t.getBoundingClientRect().width > 0}));
  const errors = main.querySelectorAll('.traceback, .output.stderr, .output.error').length;
  return {title: document.title, images, tables, errors, text: main.innerText,
          height: Math.ceil(document.documentElement.scrollHeight)};
})()
"""


def _pages(html_dir: Path) -> list[str]:
    """The book's pages; ``index.html`` is only a redirect (see its own test)."""
    return sorted(f"book/{p.name}" for p in (html_dir / "book").glob("*.html"))


def _visit(browser: Browser, url: str, shot: Path) -> tuple[dict, list[str]]:
    browser.events.clear()
    browser.send("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT,
                                                         "deviceScaleFactor": 1, "mobile": False})
    browser.send("Page.navigate", {"url": url})
    browser.wait_for("Page.loadEventFired")
    browser.evaluate("document.fonts.ready.then(() => true)")
    browser.drain()
    facts = browser.evaluate(PAGE_FACTS)
    height = min(max(facts["height"], HEIGHT), MAX_HEIGHT)
    browser.send("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": height,
                                                         "deviceScaleFactor": 1, "mobile": False})
    browser.drain(0.3)
    png = browser.send("Page.captureScreenshot", {"format": "png"})["data"]
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.write_bytes(base64.b64decode(png))
    requested = [event["params"]["request"]["url"] for event in browser.events
                 if event["method"] == "Network.requestWillBeSent"]
    return facts, requested


@pytest.fixture(scope="module")
def visits(html_dir, server, browser):
    base, _ = server
    screenshots = html_dir.parent / "screenshots"
    if screenshots.is_dir():
        shutil.rmtree(screenshots)
    results = {}
    for page in _pages(html_dir):
        name = page.removeprefix("book/").removesuffix(".html")
        results[page] = _visit(browser, f"{base}/{page}", screenshots / f"{name}.png")
    return results


# ----------------------------------------------------------------------------- the checks


def test_every_chapter_of_the_toc_is_built(html_dir):
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    files += [c["file"] for c in toc.get("chapters", [])]
    for file in files:
        assert (html_dir / f"{file}.html").is_file(), f"{file} is in _toc.yml but was not built"
    for page in RQ_PAGES:
        assert f"book/{page}" in files, f"{page} is not in _toc.yml"


def test_the_root_page_redirects_to_the_introduction(html_dir, server, browser):
    base, log = server
    browser.events.clear()
    browser.send("Page.navigate", {"url": f"{base}/index.html"})
    while True:
        frame = browser.wait_for("Page.frameNavigated", timeout=30)["params"]["frame"]
        if frame.get("parentId") is None and frame["url"].endswith("/book/intro.html"):
            break
    # events gathered until now belong to index.html; the next load is the introduction's
    browser.events.clear()
    browser.wait_for("Page.loadEventFired", timeout=30)
    assert browser.evaluate("location.pathname") == "/book/intro.html"
    assert ("/index.html", 200) in log


def test_pages_request_only_local_files(visits, server):
    base, log = server
    for page, (_, requested) in visits.items():
        outside = [u for u in requested if not (u.startswith(base + "/") or u.startswith(("data:", "about:", "blob:")))]
        assert not outside, f"{page} requests files outside the book: {outside}"
    # the browser asks for /favicon.ico by itself; the book has none and no page links one
    failed = [(path, code) for path, code in log if code >= 400 and path != "/favicon.ico"]
    assert not failed, f"the local server could not answer: {failed}"
    assert log, "the server saw no request"


def test_every_image_is_loaded(visits):
    for page, (facts, _) in visits.items():
        for image in facts["images"]:
            assert image["complete"] and min(image["natural"]) > 0, f"{page}: image not loaded: {image}"
            if image["inMain"]:
                assert min(image["shown"]) > 0, f"{page}: image shown with zero size: {image}"


def test_research_question_pages_show_figures_and_tables(visits):
    for name in RQ_PAGES:
        facts, _ = visits[f"book/{name}.html"]
        figures = [i for i in facts["images"] if i["inMain"] and "_images/" in i["src"]]
        not_drawn = "is not drawn: there is no runtime study yet" in facts["text"]
        assert figures or not_drawn, f"{name}: no figure on the page"
        for figure in figures:
            assert min(figure["natural"]) > 100, f"{name}: figure too small: {figure}"
        ids = [t["id"] for t in facts["tables"]]
        assert f"T_claims_{name.split('_')[0]}" in ids, f"{name}: no claims table (tables: {ids})"
        data_tables = [t for t in facts["tables"] if t["rows"] > 1 and t["shown"]]
        assert len(data_tables) >= 2, f"{name}: expected its tables, found {ids}"
        assert facts["errors"] == 0, f"{name}: the page shows an error or warning output"


def test_claims_tables_have_verdicts(visits):
    for name in RQ_PAGES:
        facts, _ = visits[f"book/{name}.html"]
        assert any(v in facts["text"] for v in ("confirmed", "not testable here")), f"{name}: no verdicts"


def test_a_screenshot_of_each_page(visits, html_dir):
    screenshots = html_dir.parent / "screenshots"
    for page in visits:
        shot = screenshots / f"{page.removeprefix('book/').removesuffix('.html')}.png"
        assert shot.is_file() and shot.stat().st_size > 10_000, f"no screenshot of {page}"

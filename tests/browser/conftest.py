"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

Playwright's own browser download is never used (`playwright install` is not needed); the
tests launch the system Chromium at CHROMIUM_PATH (default /usr/bin/chromium).
"""

import os

import pytest

from tests.conftest import CHROMIUM

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (setting up data) are still plain synchronous code. Module scope keeps the loop,
    # and this switch, away from every test outside the browser modules.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(chromium, live_server, request):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp_violations = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    yield page
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        os.makedirs("test-results", exist_ok=True)
        page.screenshot(path=f"test-results/{request.node.name}.png", full_page=True)
    context.close()
    # Every page must work under our CSP: no inline script or style was blocked.
    assert not csp_violations, csp_violations


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)

"""axe-core on every page each role of the demo data can reach (coordinator, chair, volunteer,
referrer, operator): any critical or serious violation on the project's own pages fails the
test. The stock Django admin (/admin/, the operator's) is walked too; its violations are
counted and reported as warnings, not failed, since its templates are Django's.

axe-core is the file vendored in tests/browser/assets/axe-core/ (its README says which version
and where from), served to the browser by the test itself at a same-origin address, so the
pages' CSP (script-src 'self') holds while it runs and no CDN or network is needed.
"""

import warnings
from pathlib import Path

import pytest

from tests.browser.crawl import Walk
from tests.browser.demo_world import PASSWORD, ROLES, load_demo_world
from tests.browser.helpers import sign_in

AXE_VERSION = "4.14.1"
AXE_FILE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
AXE_URL = "/__test-assets__/axe.min.js"  # answered by the test (page.route), never the app
FAILING = {"critical", "serious"}
ADMIN = "/admin/"
# Two pages of each URL shape (two families' pages, not thirty): the walk stays short.
PER_SHAPE = 2

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return {
    version: axe.version,
    violations: result.violations.map(v => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      where: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
    })),
  };
}"""


class AdminAccessibilityWarning(UserWarning):
    """A violation in the stock Django admin: reported, not failed."""


def axe(page) -> list[dict]:
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate(RUN_AXE)
    assert result["version"] == AXE_VERSION
    return [v for v in result["violations"] if v["impact"] in FAILING]


def describe(found: dict[str, list[dict]]) -> str:
    return "\n".join(
        f"{path}: {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['where'])}"
        for path, violations in found.items()
        for v in violations
    )


@pytest.fixture
def world(transactional_db):
    return load_demo_world()


@pytest.fixture
def browser_page(chromium, live_server):
    """conftest's `page`, but each complaint of the CSP is kept with the path of the page it
    came from: on our pages it fails the test, in the stock admin it is reported (the admin's
    history list, from django-simple-history, has a style attribute the CSP blocks)."""
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp: list[tuple[str, str]] = []

    def heard(message) -> None:
        if "Content Security Policy" in message.text:
            csp.append((page.url.removeprefix(live_server.url), message.text[:120]))

    page.on("console", heard)
    yield page, csp
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_no_page_of_the_role_has_a_serious_accessibility_violation(
    browser_page, live_server, world, role
):
    page, csp = browser_page
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE_FILE))
    sign_in(page, world[role], PASSWORD)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    starts = [page.url.removeprefix(live_server.url)]
    if role == "operator":
        starts.append(ADMIN)
    walk = Walk(origin=live_server.url, per_shape=PER_SHAPE)
    ours: dict[str, list[dict]] = {}
    admin: dict[str, list[dict]] = {}
    for path in walk.pages(page, *starts):
        if violations := axe(page):
            (admin if path.startswith(ADMIN) else ours)[path] = violations

    admin_pages = [path for path in walk.visited if path.startswith(ADMIN)]
    admin_csp = sorted({path for path, _ in csp if path.startswith(ADMIN)})
    print(f"{role}: axe {AXE_VERSION} on {len(walk.visited)} pages: {walk.visited}")
    if admin or admin_csp:
        warnings.warn(
            f"the Django admin ({len(admin_pages)} pages walked), reported, not failed: "
            f"{len(admin)} pages with critical or serious violations, "
            f"{len(admin_csp)} with something blocked by the CSP ({', '.join(admin_csp)})"
            f"\n{describe(admin)}",
            AdminAccessibilityWarning,
            stacklevel=1,
        )
    assert len(walk.visited) >= 3, walk.visited
    assert not walk.left, f"the walk stopped at its limit of {walk.limit} pages: {walk.left}"
    assert not walk.errors, f"links that answer with an error: {walk.errors}"
    assert not ours, f"critical or serious violations:\n{describe(ours)}"
    assert not [c for c in csp if not c[0].startswith(ADMIN)], csp
    if role == "operator":
        assert admin_pages, "the walk did not reach the Django admin"

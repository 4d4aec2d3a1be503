"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

from pathlib import Path

import pytest
from django.core.management import call_command

from m50.accounts.models import MUNICIPAL_ROLES, Role
from m50.municipalities.models import Municipality
from tests.conftest import PASSWORD
from tests.factories import UserFactory

E2E_DIR = Path(__file__).parent
REPO = E2E_DIR.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, plus axe's best practices, which hold heading order and landmarks.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _sync_database_access_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread; the tests only touch the
    # database between page actions, never concurrently with them.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail("Chromium ontbreekt: installeer Debian-pakket 'chromium' (make test doet dit).")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # The machine has no network but loopback: keep Chromium from reaching out.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture(autouse=True)
def shipped_vocabulary(transactional_db):
    """The themes and pillars the migrations ship: a browser test's database is emptied after
    it (a transactional test), which takes them too."""
    from m50.core.models import Theme
    from m50.core.reference import themes_load
    from m50.pillars.services import pillars_reference_load

    themes_load(Theme)
    pillars_reference_load()


@pytest.fixture
def reference_data(transactional_db):
    call_command("load-reference-data", verbosity=0)


@pytest.fixture
def login(page, live_server, reference_data):
    """Logs in through the login form as a fresh user of ``role``; returns the user."""

    def do_login(role: Role, municipality_code: str = "GM0384"):
        extra = {}
        if role in MUNICIPAL_ROLES:
            extra["municipality"] = Municipality.objects.get(code=municipality_code)
        user = UserFactory(role=role, **extra)
        page.goto(f"{live_server.url}/account/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")
        return user

    return do_login


# Reported through the console, so that one listener sees it on every page the test visits.
# axe-core's own probes (it inserts a <style> on some pages) are not the page's doing.
CSP_LISTENER = """
window.addEventListener("securitypolicyviolation", (event) => {
  if (window.__m50AxeRunning) return;
  console.error(`CSP-schending: ${event.effectiveDirective} blokkeerde ${event.blockedURI}`
    + ` (${event.sourceFile}:${event.lineNumber}) ${event.sample}`);
}, true);
"""


@pytest.fixture(autouse=True)
def no_csp_violation(page):
    """Fails a browser test on any Content-Security-Policy violation of any page it visited."""
    violations = []
    page.add_init_script(CSP_LISTENER)

    def on_console(message):
        text = message.text
        if text.startswith("CSP-schending"):
            violations.append(f"{page.url}: {text}")

    page.on("console", on_console)
    yield violations
    assert violations == [], "CSP-schendingen:\n" + "\n".join(violations)


@pytest.fixture
def axe_check(page):
    """Runs axe-core (WCAG 2.1 A and AA) on the current page; fails on any violation."""
    if not AXE.exists():
        pytest.fail("axe-core ontbreekt: draai 'npm ci' (make test doet dit).")

    def check():
        # Evaluated through the DevTools protocol, not as a <script> tag: the pages' policy
        # forbids inline scripts, and injecting one would itself be a violation.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;window.__m50AxeRunning = true")
        try:
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
            )
        finally:
            page.evaluate("() => { window.__m50AxeRunning = false; }")
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in result["violations"]
        ]
        assert violations == [], f"axe op {page.url}:\n" + "\n".join(violations)
        return result

    return check


@pytest.fixture
def fits_narrow_screen(page):
    """Checks the page has no horizontal scroll at 320 px wide (WCAG 1.4.10 reflow)."""

    def check():
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} is {overflow}px te breed bij 320px"

    return check

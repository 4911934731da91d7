"""What a screen reader and an accessibility audit see in the real app window: axe-core (pinned in
tests/e2e/package.json) injected through WebDriver, the live region's announcements, and the accessibility tree
as WebDriver computes it (role and accessible name)."""
import json
from pathlib import Path

from conftest import wait_for

AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA, nothing else (best practices are not part of the promise).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(app):
    """Runs axe-core on the page as it is now; returns the violations as short readable lines."""
    driver = app.driver
    if not driver.execute_script("return !!window.axe"):
        # execute_script runs as the WebDriver's own script, so the page's CSP does not apply to it.
        driver.execute_script(AXE.read_text() + "\n;window.axe = axe;")
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));",
        WCAG_TAGS,
    )
    lines = []
    for v in json.loads(result):
        for node in v["nodes"] or [{"target": ["?"], "failureSummary": ""}]:
            lines.append(f"{v['id']}: {v['help']} at {node['target']} — {node.get('failureSummary', '').strip()}")
    return lines


def assert_no_violations(app, moment):
    found = axe_violations(app)
    assert not found, f"axe-core, {moment}:\n" + "\n".join(found)


def announcements(app):
    """Everything the live region said since the page loaded (a11y.js keeps the log for tests and for the agent's
    own review: the same text was put in the region)."""
    return app.driver.execute_script("return (window.__announced || []).slice()")


def wait_announced(app, needle, timeout=15.0):
    return wait_for(lambda: any(needle in a for a in announcements(app)), f"the announcement {needle!r}", timeout)


def role_and_name(app, element_id):
    el = app.el(element_id)
    return el.aria_role, el.accessible_name

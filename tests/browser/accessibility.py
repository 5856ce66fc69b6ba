"""axe-core (from the npm registry, installed by `make test` into node_modules/, never served
by the site) run inside a page: WCAG 2.2 AA rules, serious and critical violations."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The page is checked once its own scripts are done: the document loaded, the desk's jQuery
# ready handlers run (django-modeltranslation builds its language tabs in one, moving the
# fields into panels), and a frame painted.
SETTLED = """async () => {
  if (document.readyState !== 'complete') {
    await new Promise(done => window.addEventListener('load', done, {once: true}));
  }
  const jq = (window.django && window.django.jQuery) || window.jQuery;
  if (jq && jq.ready && jq.ready.then) {
    await new Promise(done => jq.ready.then(() => setTimeout(done, 0)));
  }
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
}"""
RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(result =>
  result.violations.map(item => ({
    impact: item.impact, id: item.id, help: item.help,
    nodes: item.nodes.slice(0, 3).map(node => ({target: node.target})),
  })))"""


def axe_violations(page) -> list[str]:
    """Serious and critical WCAG 2.2 AA violations on the page, one line each."""
    if not AXE.exists():
        pytest.skip(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP (no inline script) is not
        # loosened, and nothing is added to what the site serves.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    # Only the violations come back to Python: the whole result (every rule that passed, with
    # every element it looked at) is 0.8 MB of JSON on the article form, two thirds of the time.
    page.evaluate(SETTLED)
    violations = page.evaluate(RUN, WCAG_AA)
    return [
        f"{item['impact']}: {item['id']} ({item['help']}) at "
        + ", ".join(" ".join(node["target"]) for node in item["nodes"][:3])
        for item in violations
        if item["impact"] in ("serious", "critical")
    ]


def pages_violations(page, base_url: str, paths) -> str:
    """Each of ``paths`` opened and checked: its violations, one line each ("" when none)."""
    failures = {}
    for path in paths:
        page.goto(base_url + path)
        found = axe_violations(page)
        if found:
            failures[path] = found
    return "\n".join(f"{path}: {line}" for path, lines in failures.items() for line in lines)

"""Imports flow one way (docs/architecture.md): newsroom ← articles ← pages ← counters,
discovery, comments, archive, demo, accounts; api may also import counters and discovery,
digests counters, desk (the desk together) counters; embeds only articles. No app imports one
above it or beside it; the project's own wiring (root URLconf, WSGI entry point, settings) is
the one place that names every app."""

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = (
    "newsroom", "articles", "pages", "counters", "discovery", "comments", "archive", "demo", "live",
    "accounts", "api", "digests", "desk", "embeds",
)  # fmt: skip
MAY_IMPORT = {
    "newsroom": {"newsroom"},
    "articles": {"newsroom", "articles"},
    "pages": {"newsroom", "articles", "pages"},
    "counters": {"newsroom", "articles", "counters"},
    "discovery": {"newsroom", "articles", "pages", "discovery"},
    "comments": {"newsroom", "articles", "comments"},
    "archive": {"newsroom", "articles", "pages", "archive"},
    "demo": {"newsroom", "articles", "pages", "demo", "live"},  # the demo has a live article
    "live": {"newsroom", "articles", "live"},
    "accounts": {"newsroom", "articles", "accounts"},
    "api": {"newsroom", "articles", "counters", "discovery", "live", "embeds", "api"},
    "digests": {"newsroom", "articles", "counters", "digests"},
    "desk": {"newsroom", "articles", "counters", "desk"},
    "embeds": {"newsroom", "articles", "embeds"},
}
WIRING = {"newsroom/urls.py", "newsroom/wsgi.py", "newsroom/settings.py"}


def imported_apps(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update((name.split(".")[0], node.lineno) for name in names)
    return {(name, line) for name, line in found if name in APPS}


@pytest.mark.parametrize("app", APPS)
def test_imports_flow_one_way(app):
    wrong = []
    for path in sorted((BASE_DIR / app).rglob("*.py")):
        relative = path.relative_to(BASE_DIR).as_posix()
        if relative in WIRING or "/migrations/" in relative:
            continue
        wrong += [
            f"{relative}:{line} imports {name}"
            for name, line in imported_apps(path)
            if name not in MAY_IMPORT[app]
        ]
    assert wrong == []


def test_every_app_says_its_job_in_one_sentence():
    for app in APPS[1:]:
        docstring = ast.get_docstring(ast.parse((BASE_DIR / app / "__init__.py").read_text()))
        assert docstring and docstring.rstrip().endswith((".", ")")), app


def test_articles_is_under_a_third_of_the_code():
    def lines(folder):
        return sum(
            len(path.read_text(encoding="utf-8").splitlines())
            for path in (BASE_DIR / folder).rglob("*.py")
            if "/migrations/" not in path.as_posix()
        )

    total = sum(lines(app) for app in APPS)
    assert lines("articles") < total / 3

"""Imports flow one way (docs/architecture.md): newsroom ← articles ← pages ← counters,
discovery, comments, archive, demo, accounts; api may also import counters and discovery,
digests counters, desk (the desk together, which assembles the article admin) counters,
accounts and live, reach (off-site channels) discovery, wires (the desk's intake)
desk. No app imports one above it or beside
it; the project's own wiring (root URLconf, WSGI entry point, settings) is the one place that
names every app.

Tooling goes one way too: ``tools/`` (benchmarks, drills, the cluster of engines) imports the
apps and is imported by the tests; no app imports ``tools`` or ``tests``, and ``tools`` never
imports ``tests``. ``deploy/`` holds server configuration only."""

import ast
import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = (
    "newsroom", "articles", "pages", "counters", "discovery", "comments", "archive", "demo", "live",
    "accounts", "api", "digests", "desk", "reach", "wires",
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
    "api": {"newsroom", "articles", "counters", "discovery", "live", "api"},
    "digests": {"newsroom", "articles", "counters", "digests"},
    # desk assembles the article admin from accounts' and live's parts (docs/architecture.md)
    "desk": {"newsroom", "articles", "counters", "accounts", "live", "desk"},
    "reach": {"newsroom", "articles", "discovery", "reach"},  # discovery: the short link
    "wires": {"newsroom", "articles", "desk", "wires"},  # a taken wire gets a desk note
}
WIRING = {"newsroom/urls.py", "newsroom/wsgi.py", "newsroom/settings.py"}


def imported_apps(path: Path, wanted=APPS) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update((name.split(".")[0], node.lineno) for name in names)
    return {(name, line) for name, line in found if name in wanted}


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


TOOLING = ("tools", "tests")
TESTS_IMPORTED = re.compile(r"^\s*(from|import)\s+tests\b", re.MULTILINE)  # also in shell code


@pytest.mark.parametrize("app", APPS)
def test_apps_never_import_tools_or_tests(app):
    wrong = [
        f"{path.relative_to(BASE_DIR).as_posix()}:{line} imports {name}"
        for path in sorted((BASE_DIR / app).rglob("*.py"))
        for name, line in imported_apps(path, TOOLING)
    ]
    assert wrong == []


def test_tools_never_import_tests():
    wrong = []
    for path in sorted((BASE_DIR / "tools").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(BASE_DIR).as_posix()
        wrong += [
            f"{relative}:{line} imports tests" for _name, line in imported_apps(path, {"tests"})
        ]
        # code the drills run in a scratch newsroom's shell is tooling too
        wrong += [
            f"{relative}: runs code importing tests"
            for _match in TESTS_IMPORTED.finditer(
                "\n".join(line.strip(" \"'").replace("\\n", "\n") for line in text.splitlines())
            )
        ]
    assert wrong == []


def test_deploy_holds_server_configuration_only():
    files = {
        path.relative_to(BASE_DIR / "deploy").as_posix()
        for path in (BASE_DIR / "deploy").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert files <= {
        "README.md",
        "gunicorn.conf.py",
        "nginx.conf.template",
        "serve.sh",
        "cluster/nginx.conf.template",
    }

"""Imports flow one way (docs/architecture.md): the bottom layer (newsroom, the project's
wiring, and caching, uploads, ops beside it: each imports only itself and newsroom) ←
articles ← pages ← counters, discovery, comments, archive, demo, live, accounts; api may also
import counters, discovery and live, digests counters, desk (the desk together, which assembles
the article admin) counters, accounts and live, reach (off-site channels) discovery, wires (the
desk's intake) desk, redirects (old addresses) archive, frontpage (the editors' front page)
live, embeds (rich media) articles; api and archive embeds too. No app imports one above it
or beside it; the project's own wiring (root URLconf, WSGI entry point, settings) is the one
place that names every app.

Tooling goes one way too: ``tools/`` (benchmarks, drills, the cluster of engines) imports the
apps and is imported by the tests; no app imports ``tools`` or ``tests``, and ``tools`` never
imports ``tests``. ``deploy/`` holds server configuration only."""

import ast
import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# The bottom layer: the project (newsroom) and the services every app may use, beside it.
BOTTOM = ("newsroom", "caching", "uploads", "ops")
APPS = (
    *BOTTOM, "articles", "pages", "counters", "discovery", "comments", "archive", "demo", "live",
    "accounts", "api", "digests", "desk", "reach", "wires", "redirects",
    "frontpage", "embeds",
)  # fmt: skip
MAY_IMPORT = {
    "newsroom": {"newsroom"},
    "caching": {"newsroom", "caching"},
    "uploads": {"newsroom", "uploads"},
    "ops": {"newsroom", "ops"},
    "articles": {*BOTTOM, "articles"},
    "pages": {*BOTTOM, "articles", "pages"},
    "counters": {*BOTTOM, "articles", "counters"},
    "discovery": {*BOTTOM, "articles", "pages", "discovery"},
    "comments": {*BOTTOM, "articles", "comments"},
    "archive": {*BOTTOM, "articles", "pages", "embeds", "archive"},  # imported embeds, galleries
    # the demo has a live article and a curated front page
    "demo": {*BOTTOM, "articles", "pages", "demo", "live", "frontpage"},
    "live": {*BOTTOM, "articles", "live"},
    "accounts": {*BOTTOM, "articles", "accounts"},
    "api": {*BOTTOM, "articles", "counters", "discovery", "live", "embeds", "api"},
    "digests": {*BOTTOM, "articles", "counters", "digests"},
    # desk assembles the article admin from accounts' and live's parts (docs/architecture.md)
    "desk": {*BOTTOM, "articles", "counters", "accounts", "live", "desk"},
    "reach": {*BOTTOM, "articles", "discovery", "reach"},  # discovery: the short link
    "wires": {*BOTTOM, "articles", "desk", "wires"},  # a taken wire gets a desk note
    "redirects": {*BOTTOM, "articles", "pages", "archive", "redirects"},
    "frontpage": {*BOTTOM, "articles", "live", "frontpage"},  # a live coverage block
    "embeds": {*BOTTOM, "articles", "embeds"},
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


def _private_attributes(path: Path) -> tuple[set[str], list[tuple[str, int]]]:
    """(private attributes this file sets on objects, those it reads, with their line)."""
    written, read = set(), []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = None
        if isinstance(node, ast.Attribute):
            name, store = node.attr, isinstance(node.ctx, ast.Store)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") in {"getattr", "setattr", "hasattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            name, store = node.args[1].value, node.func.id == "setattr"
        if not name or not name.startswith("_") or name.startswith("__"):
            continue
        if store:
            written.add(name)
        else:
            read.append((name, node.lineno))
    return written, read


def test_no_app_reads_another_apps_private_attribute():
    """What one app keeps on an object under a private name (``article._previous_listing``)
    is its own: another app asks through a public function (``articles.cache.previous_listing``)."""
    set_by: dict[str, set[str]] = {}
    reads = []
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(BASE_DIR).as_posix()
            if "/migrations/" in relative:
                continue
            written, read = _private_attributes(path)
            for name in written:
                set_by.setdefault(name, set()).add(app)
            reads += [(app, relative, line, name) for name, line in read]
    wrong = [
        f"{relative}:{line} reads {name}, set by {sorted(set_by[name])}"
        for app, relative, line, name in reads
        if name in set_by and app not in set_by[name]
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
        "collectstatic.sh",
        "gunicorn.conf.py",
        "nginx.conf.template",
        "serve.sh",
        "cluster/nginx.conf.template",
    }


def test_collectstatic_runs_one_at_a_time_through_one_script():
    """`make setup`, the served stack and the cluster's tooling all collect into staticfiles/
    through deploy/collectstatic.sh, the one place its lock is named."""
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    naming = [
        name
        for name in tracked
        if not name.startswith("tests/")
        and (BASE_DIR / name).is_file()
        and "collectstatic.lock" in (BASE_DIR / name).read_text(errors="replace")
    ]
    assert naming == ["deploy/collectstatic.sh"]
    for caller in ("Makefile", "deploy/serve.sh", "tools/cluster/engines.py"):
        assert "collectstatic.sh" in (BASE_DIR / caller).read_text(), caller


def test_live_statuses_are_defined_once():
    """Which statuses readers see is ``articles.models.LIVE_STATUSES``; nobody repeats it."""
    found = []
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(BASE_DIR).as_posix()
            if "/migrations/" in relative:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Tuple | ast.Set | ast.List) and {
                    item.value for item in node.elts if isinstance(item, ast.Constant)
                } == {"scheduled", "published"}:
                    found.append(f"{relative}:{node.lineno}")
    assert len(found) == 1 and found[0].startswith("articles/models.py:"), found

"""Cache tags are named in one module (caching/tags.py): no app spells one itself.

A tag typed by hand in two places is a contract nothing checks: a bump with a misspelt tag
refreshes nothing, and readers keep a stale page. Like tests/test_architecture.py this reads
the source: an f-string that builds ``article:<id>`` (or any other tag), a tag's fixed name
in a set of tags, a ``bump()`` or a constant, anywhere but caching/tags.py, fails here.
Cache *keys* (``cached_fragment("article:12:ar:…")``, rate-limit counters) are not tags and
are left alone: they have more parts than a tag.
"""

import ast
from pathlib import Path

import pytest

from caching import tags
from tests.test_architecture import APPS

BASE_DIR = Path(__file__).resolve().parent.parent
OWNER = "caching/tags.py"

# "<prefix>{id}": what the owner's functions return for an id.
PREFIXES = {
    getattr(tags, name)(12345).removesuffix("12345")
    for name in (
        "article", "comments", "section", "section_list", "author", "author_list", "topic",
        "topic_list", "story_file", "story_file_list", "live", "page", "most_read", "embed",
        "gallery", "front_layout", "archive_period",
    )
}  # fmt: skip
# Fixed names distinct enough to be a tag wherever they are written.
DISTINCT = {
    tags.live_content(), tags.section_menu(), tags.footer_pages(), tags.author_index(),
    tags.topic_index(), tags.story_file_index(), tags.most_read(), tags.front_layout(),
    tags.front_live_coverage(),
}  # fmt: skip
# Fixed names that are ordinary words elsewhere (a URL name, a form field): tags where they
# stand for one (in a set, given to bump, or as a module constant).
COMMON = {tags.home(), tags.breaking(), tags.site()}
TAG_CALLS = {"bump", "bump_now", "note_shown"}


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def tags_built_in(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    cache_keys = {
        id(call.args[0])
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and _called_name(call) == "cached_fragment" and call.args
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in cache_keys:
            parts = node.values
            if (
                len(parts) == 2
                and isinstance(parts[0], ast.Constant)
                and isinstance(parts[1], ast.FormattedValue)
                and parts[0].value in PREFIXES
            ):
                found.append((node.lineno, f"{parts[0].value}{{…}}"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            if isinstance(node.left, ast.Constant) and node.left.value in PREFIXES:
                found.append((node.lineno, f"{node.left.value} + …"))
        elif isinstance(node, ast.Constant) and node.value in DISTINCT:
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.Set):
            found += [
                (item.lineno, item.value)
                for item in node.elts
                if isinstance(item, ast.Constant) and item.value in COMMON
            ]
        elif isinstance(node, ast.Call) and _called_name(node) in TAG_CALLS:
            found += [
                (arg.lineno, arg.value)
                for arg in node.args
                if isinstance(arg, ast.Constant) and arg.value in COMMON
            ]
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            if node.value.value in COMMON and any(
                isinstance(target, ast.Name) and target.id.isupper() for target in node.targets
            ):
                found.append((node.lineno, node.value.value))
    return found


def test_every_tag_is_named_by_caching_tags():
    built = []
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(BASE_DIR).as_posix()
            if relative == OWNER or "/migrations/" in relative:
                continue
            built += [
                f"{relative}:{line} builds the tag {text!r}: call caching.tags instead"
                for line, text in tags_built_in(path.read_text(encoding="utf-8"))
            ]
    assert built == []


@pytest.mark.parametrize(
    "source",
    [
        'bump(f"article:{article.pk}")',
        'tags = {f"section-list:{pk}" for pk in ids}',
        'bump("home", "live-content")',
        'EVERY_PAGE = frozenset({"section-menu", "breaking"})',
        'TAG = "breaking"',
        'tag = "most-read:section:" + str(pk)',
        'return f"most-read:section:{section_id}" if section_id else "most-read:site"',
    ],
)
def test_the_check_sees_a_tag_built_by_hand(source):
    assert tags_built_in(source)


@pytest.mark.parametrize(
    "source",
    [
        'cached_fragment(f"article:{article.pk}:{get_language()}", render)',
        'key = f"comments:rate:{kind}:{digest}"',
        'path("", views.HomeView.as_view(), name="home")',
        'fields = ("title", "breaking")',
        "bump(tag.article(pk), tag.home())",
    ],
)
def test_the_check_leaves_cache_keys_and_ordinary_words_alone(source):
    assert tags_built_in(source) == []


def test_the_names_are_the_ones_pages_already_carry():
    """Renaming a tag would orphan every version kept in the cache: the names stay."""
    assert (tags.article(7), tags.section_list(3), tags.story_file(2)) == (
        "article:7", "section-list:3", "storyfile:2"
    )  # fmt: skip
    assert (tags.most_read(), tags.most_read(4), tags.live(9)) == (
        "most-read:site", "most-read:section:4", "live:9"
    )  # fmt: skip
    assert tags.every_page() == {"section-menu", "breaking"}

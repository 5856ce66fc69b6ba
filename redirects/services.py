"""Writing old addresses: a slug given up, a redirect checked for loops and chains, a CSV of
redirects imported or exported."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from operator import itemgetter
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from archive.paths import key_for_url
from articles.models import Article
from pages.models import Page
from redirects.kinds import PAGE_URL_NAMES, slug_address
from redirects.models import Redirect, SlugHistory

# A CSV target that is one of ours rather than an address: article:<id> or page:<id>.
CSV_ARTICLE, CSV_PAGE = "article:", "page:"

CSV_HEADER = ("old_path", "target", "status")
# A first row of words only is a header; other names editors give the target column.
_HEADER_CELL = re.compile(r"[A-Za-z_ ]+")
_HEADER_ALIASES = {"url": "target", "new_path": "target", "to": "target", "from": "old_path"}
MAX_IMPORT_ROWS = 50_000


# Slug history ---------------------------------------------------------------------------


def slug_changed(*, kind: str, object_id: int, old: str, new: str) -> int | None:
    """Remember that ``object_id`` left ``old`` for ``new``; return the id of another object
    whose old slug ``new`` was (the address now leads to this object instead), else None.

    A new object costs one indexed query (is its slug someone's old one?), nothing more.
    """
    owners = list(
        SlugHistory.objects.filter(kind=kind, old_slug=new).values_list("object_id", flat=True)
    )
    if not owners and not (old and old != new):
        return None
    with transaction.atomic():
        if owners:  # the object reclaims its own old slug, or takes another's: live again
            SlugHistory.objects.filter(kind=kind, old_slug=new).delete()
        if old and old != new:
            SlugHistory.objects.filter(kind=kind, object_id=object_id).update(current_slug=new)
            SlugHistory.objects.update_or_create(
                kind=kind, old_slug=old, defaults={"object_id": object_id, "current_slug": new}
            )
    return next((owner for owner in owners if owner != object_id), None)


def object_deleted(*, kind: str, object_id: int, slug: str) -> None:
    """A deleted object's addresses, old and last, answer 410 Gone (not 404) until another
    object takes the slug."""
    with transaction.atomic():
        SlugHistory.objects.filter(kind=kind, object_id=object_id).update(current_slug="")
        if slug:
            SlugHistory.objects.update_or_create(
                kind=kind, old_slug=slug, defaults={"object_id": object_id, "current_slug": ""}
            )


def visibility_changed(
    *, kind: str, object_id: int, slug: str, was_public: bool | None, public: bool, was_gone=False
) -> bool:
    """Keep an object that readers no longer see answering 410 Gone (not 404): its address is
    a 'gone' row of the slug history (its slug, no current slug) while it is not public,
    deleted when it is public again. ``was_gone``: it was gone under the slug it just gave up.
    Return True when it has just stopped being public."""
    if public:
        if was_public is False:
            SlugHistory.objects.filter(kind=kind, object_id=object_id, current_slug="").delete()
        return False
    if (was_public or was_gone) and slug:
        SlugHistory.objects.update_or_create(
            kind=kind, old_slug=slug, defaults={"object_id": object_id, "current_slug": ""}
        )
    return bool(was_public)


def is_gone(*, kind: str, object_id: int, slug: str) -> bool:
    return SlugHistory.objects.filter(
        kind=kind, object_id=object_id, old_slug=slug, current_slug=""
    ).exists()


# Redirects ------------------------------------------------------------------------------


def site_key(url: str) -> str:
    """The lookup key of ``url`` if it is an address on this site, else ""."""
    parts = urlsplit(url or "")
    if parts.netloc:
        hosts = {host for host in settings.ALLOWED_HOSTS if host not in ("*", "")}
        if settings.NEWSROOM_SITE_URL:
            hosts.add(urlsplit(settings.NEWSROOM_SITE_URL).hostname or "")
        if (parts.hostname or "") not in hosts:
            return ""
    elif not (url or "").startswith("/"):
        return ""
    return key_for_url(url)


def live_keys(kind: str, slug: str) -> set[str]:
    """The keys of an object's page in every language."""
    keys = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            try:
                keys.add(key_for_url(reverse(PAGE_URL_NAMES[kind], kwargs={"slug": slug})))
            except NoReverseMatch:
                pass
    return keys


def target_keys(redirect: Redirect) -> set[str]:
    if redirect.article_id and redirect.article:
        return live_keys("article", redirect.article.slug)
    if redirect.page_id and redirect.page:
        return live_keys("page", redirect.page.slug)
    key = site_key(redirect.url)
    return {key} if key else set()


def redirect_problems(redirect: Redirect) -> dict[str, str]:
    """What is wrong with a redirect, in Arabic, by field: a missing or doubled target, a
    loop, or a chain through another redirect."""
    typed = (redirect.old_path or "").strip()
    key = key_for_url(typed) if typed else ""
    if typed and (not typed.startswith("/") or not key or has_control_characters(key)):
        return {"old_path": _("Enter a path on this site, starting with /.")}
    problem = query_problem(typed)
    if problem:
        return {"old_path": problem}
    if key and is_reserved(key):
        return {"old_path": reserved_message()}
    if key:
        redirect.old_path = key
    targets = [bool(redirect.article_id), bool(redirect.page_id), bool(redirect.url)]
    if redirect.status == Redirect.Status.GONE:
        if any(targets):
            return {"status": _("A gone address (410) leads nowhere: leave its target empty.")}
        return chain_problems(redirect, key, set())
    if sum(targets) != 1:
        return {"url": _("Choose exactly one target: an article, a page or an address.")}
    problem = address_problem(redirect.url) if redirect.url else None
    if problem:
        return {"url": problem}
    return chain_problems(redirect, key, target_keys(redirect))


def query_problem(old_path: str) -> str | None:
    """A query on an old address that the lookup would drop: only the archive's «/?p=123»
    keeps its query, and a redirect saved without the rest would catch every «?…» of the
    path without a word."""
    query = urlsplit(old_path).query
    if not query or key_for_url(old_path) == key_for_url("/?" + query):
        return None
    return _(
        "Redirects match the path only: remove «?%(query)s» (every query of this path would "
        "be redirected)."
    ) % {"query": query[:60]}


ADDRESS_MAX = Redirect._meta.get_field("url").max_length


def reserved_message() -> str:
    return _(
        "The site answers this address itself (the desk, the API, its files): a redirect "
        "from it would never be used."
    )


_full_address = URLValidator(schemes=("http", "https"))


def has_control_characters(text: str) -> bool:
    """Control or invisible formatting characters (NUL, bidi overrides…): never in an address."""
    return any(unicodedata.category(char)[0] == "C" for char in text)


def is_reserved(key: str) -> bool:
    """An address the site answers before any redirect could: the desk, the API, static and
    uploaded files. A redirect from there would never be used."""
    prefixes = [settings.STATIC_URL, settings.MEDIA_URL, "/api/"]
    prefixes += [f"/{code}/{settings.NEWSROOM_ADMIN_URL}" for code, _name in settings.LANGUAGES]
    path = key.rstrip("/") + "/"
    return any(prefix and path.startswith(prefix) for prefix in prefixes)


def address_problem(url: str) -> str | None:
    """Why ``url`` cannot be where a redirect leads, in Arabic, or None: it must be a path on
    this site (``/…``) or a full http(s) address, fit its column, and hold no space, control
    or bidi formatting character (a browser would not follow it as the desk shows it)."""
    if len(url) > ADDRESS_MAX:
        return _("The address is longer than %(count)d characters.") % {"count": ADDRESS_MAX}
    if any(unicodedata.category(char)[0] in "CZ" for char in url):
        return _("The address may not contain spaces or control characters.")
    if url.startswith("/") and not url.startswith("//"):
        return None
    try:
        _full_address(url)
    except ValidationError:
        return _(
            "Enter a path starting with / or a full address starting with https:// (or http://)."
        )
    return None


def old_slug_targets(keys) -> set[str]:
    """Which of these addresses are an object's old slug (they answer a redirect already)."""
    wanted: dict[str, tuple[str, str]] = {}
    for key in keys:
        language = translation.get_language_from_path(key + "/") or settings.LANGUAGE_CODE
        address = slug_address(key + "/", language)
        if address:
            wanted[key] = address[:2]
    by_kind: dict[str, set[str]] = {}
    for kind, slug in wanted.values():
        by_kind.setdefault(kind, set()).add(slug)
    found = set()
    for kind, slugs in by_kind.items():
        found.update(
            (kind, slug)
            for slug in SlugHistory.objects.filter(kind=kind, old_slug__in=slugs).values_list(
                "old_slug", flat=True
            )
        )
    return {key for key, pair in wanted.items() if pair in found}


def chain_problems(redirect: Redirect, key: str, targets: set[str]) -> dict[str, str]:
    if not key:
        return {}
    if key in targets:
        return {"url": _("This redirect leads back to its own address (a loop).")}
    if old_slug_targets(targets):
        return {
            "url": _(
                "The target is an old address of an article or page: point at its address of today."
            )
        }
    others = Redirect.objects.exclude(pk=redirect.pk)
    onward = others.filter(old_path__in=targets).values_list("old_path", flat=True).first()
    if onward:
        return {
            "url": _("The target %(path)s is itself redirected: point straight at where it leads.")
            % {"path": onward}
        }
    before = others.filter(target_key=key).values_list("old_path", flat=True).first()
    if before:
        return {
            "old_path": _(
                "The redirect from %(path)s leads to this address: a redirect here would make "
                "a chain. Change that one instead."
            )
            % {"path": before}
        }
    return {}


# CSV ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int
    errors: list[str]


def parse_target(value: str, line: int) -> tuple[dict, str | None]:
    value = (value or "").strip()
    for prefix, field in ((CSV_ARTICLE, "article_id"), (CSV_PAGE, "page_id")):
        if value.startswith(prefix):
            number = value.removeprefix(prefix)
            if not number.isdigit():
                return {}, _("Line %(line)d: %(value)s is not an id.") % {
                    "line": line,
                    "value": value,
                }
            return {field: int(number)}, None
    return {"url": value}, None


def import_csv(data: bytes) -> ImportResult:
    """Add the redirects of a CSV (old_path,target,status; target: article:<id>, page:<id>,
    an address, or empty for 410). All or nothing: one bad line and none is added."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ImportResult(0, [_("The file is not UTF-8 text.")])
    rows = list(csv.reader(io.StringIO(text)))
    order = list(range(len(CSV_HEADER)))  # where each of CSV_HEADER's columns is
    first_line = 1
    if rows and rows[0] and all(_HEADER_CELL.fullmatch(cell.strip()) for cell in rows[0]):
        # A header: its columns are read by name, in any order; one we do not know is said.
        names = [
            _HEADER_ALIASES.get(cell.strip().lower(), cell.strip().lower()) for cell in rows[0]
        ]
        if sorted(names) != sorted(CSV_HEADER):
            return ImportResult(
                0,
                [
                    _("Line 1: the columns must be named %(names)s (in any order).")
                    % {"names": ",".join(CSV_HEADER)}
                ],
            )
        order = [names.index(name) for name in CSV_HEADER]
        rows, first_line = rows[1:], 2
    if len(rows) > MAX_IMPORT_ROWS:
        return ImportResult(0, [_("At most %(count)d rows at once.") % {"count": MAX_IMPORT_ROWS}])
    errors: list[tuple[int, str]] = []  # (line, message): listed in file order
    redirects: list[Redirect] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=first_line):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            errors.append((line, _("Line %(line)d: expected three columns.") % {"line": line}))
            continue
        old, target, status = (row[index].strip() for index in order)
        key = key_for_url(old) if old.startswith("/") else ""
        if key and len(key) > 500:
            errors.append(
                (
                    line,
                    _("Line %(line)d: the old address is longer than 500 characters.")
                    % {"line": line},
                )
            )
            continue
        if key and has_control_characters(key):
            errors.append(
                (
                    line,
                    _(
                        "Line %(line)d: the old address contains invisible control or "
                        "direction characters (such as U+202E): remove them."
                    )
                    % {"line": line},
                )
            )
            continue
        if not key:
            errors.append(
                (
                    line,
                    _("Line %(line)d: the old address must be a path starting with /.")
                    % {"line": line},
                )
            )
            continue
        if is_reserved(key) or query_problem(old):
            problem = reserved_message() if is_reserved(key) else query_problem(old)
            errors.append(
                (line, _("Line %(line)d: %(problem)s") % {"line": line, "problem": problem})
            )
            continue
        if key in seen:
            errors.append(
                (
                    line,
                    _("Line %(line)d: %(path)s is already on line %(other)d.")
                    % {"line": line, "path": key, "other": seen[key]},
                )
            )
            continue
        seen[key] = line
        if status not in ("301", "302", "410"):
            errors.append(
                (line, _("Line %(line)d: the answer must be 301, 302 or 410.") % {"line": line})
            )
            continue
        fields, error = parse_target(target, line)
        if error:
            errors.append((line, error))
            continue
        redirect = Redirect(old_path=key, status=int(status), **fields)
        if redirect.status == 410 and target:
            errors.append((line, _("Line %(line)d: a 410 has no target.") % {"line": line}))
            continue
        if redirect.status != 410 and not target:
            errors.append((line, _("Line %(line)d: a 301 or 302 needs a target.") % {"line": line}))
            continue
        problem = address_problem(redirect.url) if redirect.url else None
        if problem:
            errors.append(
                (line, _("Line %(line)d: %(problem)s") % {"line": line, "problem": problem})
            )
            continue
        redirect.line = line
        redirects.append(redirect)
    # Every line checked at once: the lines that read well are also checked against the
    # site and each other (taken addresses, missing articles, loops, chains), so the editor
    # gets every problem of the file in one go, not some only after fixing the others.
    errors += _bulk_problems(redirects)
    if errors:
        return ImportResult(0, [message for _line, message in sorted(errors, key=itemgetter(0))])
    with transaction.atomic():
        Redirect.objects.bulk_create(redirects, batch_size=2000)
    return ImportResult(len(redirects), [])


def _bulk_problems(redirects: list[Redirect]) -> list[tuple[int, str]]:
    """Existing addresses, missing articles or pages, loops and chains, in a few queries."""
    errors = []
    sources = {redirect.old_path for redirect in redirects}
    existing = set()
    source_list = list(sources)
    for start in range(0, len(source_list), 5000):
        existing.update(
            Redirect.objects.filter(old_path__in=source_list[start : start + 5000]).values_list(
                "old_path", flat=True
            )
        )
    article_ids = {r.article_id for r in redirects if r.article_id}
    page_ids = {r.page_id for r in redirects if r.page_id}
    articles = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "slug"))
    pages = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "slug"))
    targets_by_redirect = {}
    all_targets: set[str] = set()
    for redirect in redirects:
        if redirect.article_id:
            keys = (
                live_keys("article", articles[redirect.article_id])
                if redirect.article_id in articles
                else None
            )
        elif redirect.page_id:
            keys = live_keys("page", pages[redirect.page_id]) if redirect.page_id in pages else None
        else:
            key = site_key(redirect.url)
            keys = {key} if key else set()
            redirect.target_key = key
        targets_by_redirect[redirect.line] = keys
        if keys:
            all_targets |= keys
    onward_existing = (
        set(Redirect.objects.filter(old_path__in=all_targets).values_list("old_path", flat=True))
        | old_slug_targets(all_targets)
        if all_targets
        else set()
    )
    # Existing redirects that lead to one of the new sources (a chain into them).
    stored_targets = set()
    for start in range(0, len(source_list), 5000):
        stored_targets.update(
            Redirect.objects.filter(target_key__in=source_list[start : start + 5000]).values_list(
                "target_key", flat=True
            )
        )
    new_targets = {key: r.line for r in redirects for key in (targets_by_redirect[r.line] or ())}
    for redirect in redirects:
        line = redirect.line
        keys = targets_by_redirect[line]
        if redirect.old_path in existing:
            errors.append(
                (
                    line,
                    _("Line %(line)d: %(path)s is already redirected.")
                    % {"line": line, "path": redirect.old_path},
                )
            )
        elif keys is None:
            errors.append((line, _("Line %(line)d: no such article or page.") % {"line": line}))
        elif redirect.old_path in keys:
            errors.append(
                (
                    line,
                    _("Line %(line)d: the redirect leads back to its own address (a loop).")
                    % {"line": line},
                )
            )
        elif keys & (sources | onward_existing):
            errors.append(
                (
                    line,
                    _(
                        "Line %(line)d: the target is itself redirected: point straight at where "
                        "it leads."
                    )
                    % {"line": line},
                )
            )
        elif redirect.old_path in stored_targets or redirect.old_path in new_targets:
            errors.append(
                (
                    line,
                    _(
                        "Line %(line)d: another redirect leads to %(path)s: "
                        "this one would make a chain."
                    )
                    % {"line": line, "path": redirect.old_path},
                )
            )
        if len(errors) >= 50:
            break
    return errors


def export_csv(redirects) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for old_path, article_id, page_id, url, status in redirects.values_list(
        "old_path", "article_id", "page_id", "url", "status"
    ).iterator():
        target = (
            CSV_ARTICLE + str(article_id) if article_id
            else CSV_PAGE + str(page_id) if page_id else url
        )  # fmt: skip
        writer.writerow((old_path, target, status))
    return out.getvalue()

"""Moderation and spam rules, each small and testable; settings and the admin configure them."""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache

from articles.text import normalize_arabic, written_in_arabic

LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)


def _fold(text: str) -> str:
    return " ".join(normalize_arabic(text or "").casefold().split())


def _kind_of_address(value: str) -> str:
    """Settings list entries: "a@b.org" an address, "@b.org" or "b.org" a domain, else an IP."""
    if "@" in value.strip("@"):
        return "email"
    if value.startswith("@") or not re.fullmatch(r"[0-9a-f.:]+", value):
        return "domain"
    return "ip"


def blocked_terms(kind: str) -> set[str]:
    """Blocked values of one kind: the settings lists plus the admin's BlockedTerm rows."""
    from comments.models import BlockedTerm

    values = set(BlockedTerm.objects.filter(kind=kind).values_list("value", flat=True))
    if kind == BlockedTerm.Kind.WORD:
        values.update(settings.NEWSROOM_COMMENTS_BLOCKED_WORDS)
    else:
        values.update(
            value.strip().lower().lstrip("@") if kind == "domain" else value.strip().lower()
            for value in settings.NEWSROOM_COMMENTS_BLOCKED_ADDRESSES
            if _kind_of_address(value.strip().lower()) == kind
        )
    return {value for value in values if value}


# Before an Arabic word, the letters that join it (and, so, with, for, as, the…): a blocked
# «الخنزير» is found in «والخنزير»; its endings stay free («حمار» in «حمارة»).
_ARABIC_PROCLITICS = r"(?:وال|فال|بال|كال|لل|ال|[وفبلك])?"


def _term_pattern(term: str) -> re.Pattern:
    """A blocked term as a word, not a piece of one: «ass» was found in «classic». Latin
    terms whole; Arabic ones from a word's start (after its proclitics) on."""
    folded = re.escape(term)
    if written_in_arabic(term):
        return re.compile(rf"(?<!\w){_ARABIC_PROCLITICS}{folded}")
    return re.compile(rf"(?<!\w){folded}(?!\w)")


def blocked_words_in(text: str) -> list[str]:
    """Blocked words or phrases found in ``text`` as words, Arabic spelling variants folded."""
    folded = _fold(text)
    return [
        word
        for word in blocked_terms("word")
        if _fold(word) and _term_pattern(_fold(word)).search(folded)
    ]


def is_blocked_address(email: str, ip: str | None) -> bool:
    email = (email or "").strip().lower()
    domain = email.rpartition("@")[2]
    if email and email in blocked_terms("email"):
        return True
    domains = {value.lstrip("@") for value in blocked_terms("domain")}
    if domain and domain in domains:
        return True
    return bool(ip) and ip in blocked_terms("ip")


def count_links(text: str) -> int:
    return len(LINK.findall(text or ""))


def too_many_links(text: str) -> bool:
    limit = settings.NEWSROOM_COMMENTS_MAX_LINKS
    return bool(limit) and count_links(text) > limit


def is_new_address(email: str) -> bool:
    """No comment from this address was ever published."""
    from comments.models import ReaderComment

    return (
        not ReaderComment.norel_objects.published()
        .filter(user_email__iexact=(email or "").strip())
        .exists()
    )


def rate_limited(*, ip: str | None, email: str) -> bool:
    """Count one attempt per IP and per address in the cache; True over either limit.

    A fixed window in Django's cache (``cache.add`` then ``cache.incr``, both atomic in
    LocMem and in Redis/Memcached). No outside service is needed.
    """
    window = settings.NEWSROOM_COMMENTS_RATE_WINDOW
    over = False
    checks = [
        ("ip", ip, settings.NEWSROOM_COMMENTS_MAX_PER_IP),
        ("email", (email or "").strip().lower(), settings.NEWSROOM_COMMENTS_MAX_PER_EMAIL),
    ]
    for kind, value, limit in checks:
        if not value or not limit:
            continue
        key = f"comments:rate:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        over = over or count > limit
    return over

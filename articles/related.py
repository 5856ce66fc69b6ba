"""Related articles: what to read next under an article, ranked by the title and lead words
it shares with others (its stored search vector), the same section and recency."""

import re
from datetime import UTC, datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache as django_cache
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from modeltranslation.utils import get_language as translation_language

from articles.compiled import STAND_IN, compiled
from articles.models import Article

RECENCY_HALF_LIFE_DAYS = 365


class Recency(Func):
    """1 for an article published now, 1/2 after RECENCY_HALF_LIFE_DAYS, 1/3 after twice that."""

    template = (
        "(1.0 / (1.0 + GREATEST(EXTRACT(EPOCH FROM (%(expressions)s)), 0) / "
        f"{RECENCY_HALF_LIFE_DAYS * 86400}.0))"
    )
    output_field = FloatField()


RELATED_COUNT = 4
# The most recent candidates of each kind ranked: rank × recency is worked out for each (its
# search vector read), which made the query most of a cold article's PostgreSQL time (6.7 ms
# of 10 on the generated archive). 100 instead of 200 costs 4.5 ms and keeps 93% of the links
# (the first one the same for 94% of 150 random articles).
RELATED_CANDIDATES = 100
TOPIC_BONUS = 0.1  # per shared topic: about a well-matched title word
_LEXEME = re.compile(r"'((?:[^']|'')+)':([0-9A-D,]+)")


def _lexemes(vector: str | None, weights: str) -> list[str]:
    """Lexemes of a stored tsvector (as text) having a position of one of ``weights``."""
    found = []
    for lexeme, positions in _LEXEME.findall(vector or ""):
        if any(
            p[-1] in weights if p[-1].isalpha() else "D" in weights for p in positions.split(",")
        ):
            found.append(lexeme.replace("''", "'"))
    return found


def _tsquery(terms) -> str:
    return " | ".join(terms)


def related_articles(article, limit: int = RELATED_COUNT) -> QuerySet:
    """Published articles like ``article``, in one query whatever the archive's size.

    Candidates: the most recent articles sharing two of its title words (one, for a
    one-word title) or one of its topics, plus the latest of its section; ranked by the title
    and lead words they share (rank × recency), with a bonus for each shared topic and a
    small one for the same section.
    """
    return _related_query(**_related_values(article), limit=limit)


def _related_values(article) -> dict:
    """What the related query of ``article`` is made of: plain values (its parameters)."""
    quote = "'{}'".format
    title = [
        quote(lex.replace("\\", "\\\\").replace("'", "''"))
        for lex in _lexemes(article.search_ar, "A")
    ][:8]
    lead = [
        quote(lex.replace("\\", "\\\\").replace("'", "''"))
        for lex in _lexemes(article.search_ar, "B")
    ][:12]
    values = {
        "pk": article.pk,
        "section_id": article.section_id,
        # prefetched on the article page
        "topic_ids": tuple(topic.pk for topic in article.topics.all()),
        "now": timezone.now(),
        "sharing": None,
        "words": None,
    }
    if title:
        pairs = [f"{a} & {b}" for i, a in enumerate(title) for b in title[i + 1 :]] or title
        values["sharing"] = _tsquery(f"({p})" for p in pairs)
        values["words"] = _tsquery(dict.fromkeys(title + lead))
    return values


def _related_query(*, pk, section_id, topic_ids, now, sharing, words, limit) -> QuerySet:
    published = Article.objects.published(now=now).exclude(pk=pk)
    same_section = (
        published.in_section(section_id).order_by("-published_at", "-id").values("pk")[: limit * 3]
    )
    candidates = same_section
    if topic_ids:
        on_topic = (
            published.filter(topics__in=topic_ids)
            .order_by("-published_at", "-id")
            .values("pk")[:RELATED_CANDIDATES]
        )
        candidates = candidates.union(on_topic)
    score = Value(0.0)
    if sharing is not None:
        shares = SearchQuery(sharing, search_type="raw", config="simple")
        sharing_title = (
            published.filter(search_ar=shares)
            .order_by("-published_at", "-id")
            .values("pk")[:RELATED_CANDIDATES]
        )
        # UNION, not OR of two IN lists: OR makes PostgreSQL scan the whole table.
        candidates = candidates.union(sharing_title)
        score = SearchRank(F("search_ar"), SearchQuery(words, search_type="raw", config="simple"))
    section_bonus = Case(When(section_id=section_id, then=Value(0.05)), default=Value(0.0))
    topic_bonus = Value(0.0)
    if topic_ids:
        shared = (
            Article.topics.through.objects.filter(article_id=OuterRef("pk"), topic_id__in=topic_ids)
            .order_by()
            .values("article_id")
            .annotate(n=Count("*"))
            .values("n")
        )
        topic_bonus = Coalesce(Subquery(shared), 0, output_field=FloatField()) * Value(TOPIC_BONUS)
    return (
        _as_related_links(published.filter(pk__in=candidates))
        .annotate(
            related_score=(score + section_bonus + topic_bonus) * Recency(Now() - F("published_at"))
        )
        .order_by("-related_score", "-published_at", "-id")[:limit]
    )


# Stand-ins the related query is compiled with (articles/compiled.py): one per value, each
# unlike any other parameter of the query.
_STAND_INS = {
    "pk": STAND_IN,
    "section_id": STAND_IN - 1,
    "now": datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC),
    "sharing": "compiled-stand-in-sharing",
    "words": "compiled-stand-in-words",
}


def _related_compiled(article, limit: int) -> list:
    """``related_articles``, its SQL compiled once per thread and shape (whether the title
    has words, how many topics): the same rows without building and compiling the
    expressions again (~3 ms of CPU per article page rendered)."""
    values = _related_values(article)
    topic_ids = values.pop("topic_ids")
    stand_ins = dict(_STAND_INS)
    if values["sharing"] is None:
        del stand_ins["sharing"], stand_ins["words"], values["sharing"], values["words"]
    topic_stand_ins = {f"topic_{n}": STAND_IN - 2 - n for n in range(len(topic_ids))}
    values.update(zip(topic_stand_ins, topic_ids, strict=True))

    def build(**given):
        given.setdefault("sharing", None)
        given.setdefault("words", None)
        topics = tuple(given.pop(name) for name in topic_stand_ins)
        return _related_query(**given, topic_ids=topics, limit=limit)

    # Per language too, as the page's other compiled queries (its SQL names every translated
    # column today; a change to modeltranslation's rewriting would then not mix languages).
    shape = (limit, "sharing" in stand_ins, len(topic_ids), translation_language())
    query = compiled("related", shape, Article, build, **stand_ins, **topic_stand_ins)
    return query.instances(**values)


def _as_related_links(queryset: QuerySet) -> QuerySet:
    """What a related link shows: title, date and section."""
    return queryset.select_related("section").only(
        "slug",
        "title",
        "title_ar",
        "title_en",
        "published_at",
        "section__slug",
        "section__name",
        "section__name_ar",
        "section__name_en",
    )


RELATED_CACHE_SECONDS = 600


def related_for_page(article, limit: int = RELATED_COUNT) -> list:
    """``related_articles``, with the choice (the ids) remembered for a few minutes.

    Ranking candidates by shared words costs tens of milliseconds on a large archive with
    common words; the ids are kept in the cache and the links fetched fresh (one cheap query
    either way), so an edited title or an unpublished article never shows stale.
    """
    key = f"articles:related:{article.pk}:{limit}"
    ids = django_cache.get(key)
    if ids is None:
        found = _related_compiled(article, limit)
        django_cache.set(key, [item.pk for item in found], RELATED_CACHE_SECONDS)
        return found
    by_id = {
        item.pk: item for item in _as_related_links(Article.objects.published().filter(pk__in=ids))
    }
    return [by_id[pk] for pk in ids if pk in by_id]

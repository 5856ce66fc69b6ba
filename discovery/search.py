"""Arabic full-text search over published articles.

Stored side: ``Article.search_ar``/``search_en`` are generated columns (migration 0002): the
``arabic`` (or ``english``) text-search configuration over ``newsroom_search_text(field)``,
the SQL twin of :func:`search_text` below (tags stripped, spelling variants folded by
:func:`articles.text.normalize_arabic`). Query side: the same folding in Python, then
every word must occur, in any of the forms the stemmer may have stored it under
(``word_forms``), so «الأجانب», «الاجانب» and «الأجانـب» meet on one lexeme, and so do
«مكتبة» and «المكتبة».

Highlighting is ours, on the original text (with its hamzas and tashkeel): PostgreSQL says
which of the page's words share a lexeme with the query (one query per page), Python picks
the densest window and escapes everything before adding ``<mark>``.
"""

import functools
import html
import re
from dataclasses import dataclass
from itertools import chain

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest, Now
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles.models import SEARCH_CONFIGS, Article, Section, Topic, topic_key
from articles.related import Recency
from articles.text import ARABIC_LETTER, fold_digits, normalize_arabic, strip_invisible
from ops.routers import reading_connection

MIN_QUERY_LETTERS = 2
MAX_QUERY_LENGTH = 100
# The score of an article this many days old is halved; a title match still outranks a
# fresh body-only match for about four years (weights A=1.0 against C=0.2).
# Ranked candidates per search: the most recent matches (20 pages of results).
MAX_RESULTS = 200
SNIPPET_WORDS = 30
HIGHLIGHT_MAX_CHARS = 20_000  # per article: bounded work whatever the body length

# A word with its marks (tashkeel, tatweel, joiners), so folding and display agree.
WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]+")
_TAG = re.compile(r"<[^>]*>")
_SQL_ENTITIES = (
    ("&nbsp;", " "),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", '"'),
    ("&#39;", "'"),
    ("&amp;", "&"),
)


def search_text(value: str) -> str:
    """What PostgreSQL's ``newsroom_search_text()`` makes of a field (kept in step by a test)."""
    if not value:
        return ""
    text = _TAG.sub(" ", value)
    for entity, char in _SQL_ENTITIES:
        text = text.replace(entity, char)
    return normalize_arabic(text)


def plain_text(value: str) -> str:
    """Body HTML as text for display: tags to spaces, entities decoded, spaces squeezed."""
    return " ".join(html.unescape(_TAG.sub(" ", value or "")).split())


class LocalDateField(forms.DateField):
    """A date typed with Western or Arabic-Indic digits."""

    def to_python(self, value):
        return super().to_python(fold_digits(value) if isinstance(value, str) else value)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
    )
    topic = forms.CharField(
        label=_("Topic"),
        required=False,
        max_length=100,
        help_text=_("A topic's name, in any spelling."),
    )
    date_from = LocalDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = LocalDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_q(self):
        query = strip_invisible(self.cleaned_data.get("q") or "").strip()
        if not query:
            raise forms.ValidationError(_("Type a word to search for."), code="empty")
        if len(query) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                _("The search is too long: use at most %(max)s characters."),
                code="too_long",
                params={"max": MAX_QUERY_LENGTH},
            )
        words = WORD.findall(normalize_arabic(query).replace("_", " "))
        if not words:
            raise forms.ValidationError(
                _("Search for words, not only punctuation marks."), code="punctuation"
            )
        if sum(len(word) for word in words) < MIN_QUERY_LETTERS:
            raise forms.ValidationError(
                _("The search is too short: type at least two letters."), code="too_short"
            )
        return query

    def clean_topic(self):
        """The topic named (by its address or its name in any spelling), or None."""
        typed = strip_invisible(self.cleaned_data.get("topic") or "").strip()
        if not typed:
            return None
        topic = Topic.objects.filter(slug=typed).first() or (
            Topic.objects.filter(name_key=topic_key(typed)).first()
        )
        if topic is None:
            raise forms.ValidationError(
                _("There is no topic called “%(name)s”."), code="no_topic", params={"name": typed}
            )
        return topic

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start date comes after the end date."), code="date_order"
            )
        return cleaned


# PostgreSQL's Arabic stemmer does not bring a word with and without the article «ال» to
# one lexeme: «المكتبة» is stored as «مكتبه» where «مكتبة» becomes «مكتب», «المستهلك» as
# «مستهلك» where «مستهلك» becomes «مستهل». The stored vectors are what they are, so the
# query asks for every word both with and without the article, and the stemmer turns one of
# them into the lexeme the text was stored under. The price is some precision («الزيتون»
# stems to «زيت», so «زيتون» also finds «زيت»); the rank prefers the form as typed
# (search_rank). Not other forms: a proclitic before the article, «لل», makes the stemmer
# cut short words into unrelated common stems («باليين» into «بال»).
ARTICLE = "ال"
# The article with «و» (and) or «ف» (so) before it, which PostgreSQL's Arabic stemmer keeps
# («والكهرباء» stems to itself, «الكهرباء» to «كهرباء»), longest first.
ARTICLE_PREFIXES = ("وال", "فال", ARTICLE)


def word_forms(word: str) -> list[str]:
    """``word`` (folded) with and without the article «ال», and with «وال» and «فال». The
    stemmer does not always bring these to one stem: «المستهلك» stems to «مستهلك» but
    «مستهلك» to «مستهل», «الزيتون» to «زيت» but «زيتون» to itself, and «والكهرباء» keeps
    its «وال»; so a reader's «مستهلك» missed every article that wrote «المستهلك», and
    «الكهرباء» every one that wrote «الماء والكهرباء». Each form is searched."""
    bare = word
    for prefix in ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            bare = word[len(prefix) :]
            break
    if len(bare) < 3:
        return [word]
    return list(
        dict.fromkeys([word, bare, *(prefix + bare for prefix in reversed(ARTICLE_PREFIXES))])
    )


# A score or a range («2-0», «1948-1967»): PostgreSQL's parser reads the number after the
# hyphen as a signed one («-0»), in the text and in a query alike; the query's words lost the
# sign, so «Jableh 2-0» found nothing.
_AFTER_A_HYPHEN = re.compile(r"(?<=\d)-(\d+)\b")


def query_words(query: str, config: str) -> list[list[str]]:
    """The query's words, folded, each with the forms it is searched in (Arabic words' other
    forms; a number after a hyphen, with its sign as the text's index has it)."""
    folded = normalize_arabic(query).replace("_", " ")
    signed = set(_AFTER_A_HYPHEN.findall(folded))
    words = []
    for word in WORD.findall(folded):
        forms = word_forms(word) if config == "arabic" and ARABIC_LETTER.search(word) else [word]
        words.append([*forms, f"'-{word}'"] if word in signed else forms)
    return words


def forms_in_the_archive(words: list[list[str]]) -> list[list[str]]:
    """``words`` without the «وال» and «فال» forms the archive's vocabulary (SearchTerm) does
    not have, in one query; a form the reader typed stays. Each such form is a lexeme the
    planner has no statistics for: four made a rare word look common, and the search walked
    the whole publication-date index for it (p95 23 ms → 470 ms on 100,000 articles). The
    vocabulary is rebuilt nightly (refresh_search_terms): a form first written today is
    searched from the next rebuild."""
    added = {form for forms in words for form in forms[1:] if form.startswith(("وال", "فال"))}
    if not added:
        return words
    from discovery.models import SearchTerm

    known = set(SearchTerm.objects.filter(word__in=added).values_list("word", flat=True))
    return [[forms[0], *(f for f in forms[1:] if f not in added or f in known)] for forms in words]


def search_query(words: list[list[str]], config: str) -> SearchQuery:
    """Every word of ``query_words`` must occur (as ``plainto_tsquery``), in any of its forms;
    no operator a reader types is read as one (the words are letters and digits only)."""
    text = " & ".join("(" + " | ".join(forms) + ")" for forms in words)
    return SearchQuery(text, search_type="raw", config=config)


def search_rank(vector: str, words: list[list[str]], config: str):
    """How well an article matches: its rank for the words as typed, or for their other forms,
    whichever is higher. One rank over the query with both forms would count a word twice in
    an article that has it in both («قافلة» in the title, «القافلة» in the body) and rank it
    above an article with the word as often in one form."""

    def rank(pick: int) -> SearchRank:
        text = " & ".join(forms[pick] for forms in words)
        return SearchRank(F(vector), SearchQuery(text, search_type="raw", config=config))

    if all(len(forms) == 1 for forms in words):
        return rank(0)
    return Greatest(rank(0), rank(-1))


# Arabic letters (the Arabic, Arabic Supplement and Extended-A blocks and the presentation
# forms): a query written in them is searched in the Arabic text, on any page.
ARABIC_SCRIPT = re.compile(
    "[\u0620-\u064a\u066e-\u06d3\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"
)


def search_language(query: str, page_language: str) -> str:
    """The language whose text ``query`` is searched in: the page's, unless the query is
    written in Arabic letters («دمشق» on the English site finds the Arabic articles, which
    the English lists show too, marked «In Arabic»)."""
    if page_language != "ar" and ARABIC_SCRIPT.search(query or ""):
        return "ar"
    return page_language


def search_articles(
    query: str,
    *,
    language: str = "ar",
    section=None,
    topic=None,
    date_from=None,
    date_to=None,
) -> QuerySet:
    """Published articles matching ``query``, best first (rank × recency).

    Ranking reads every candidate's vector, so the candidates are bounded: the
    ``MAX_RESULTS`` most recent matches (found through the GIN index, or by walking the
    publication-date index for very common words), then ranked. A news search favours
    recent articles anyway; this keeps a common word as fast as a rare one.
    """
    config = SEARCH_CONFIGS.get(language, "arabic")
    vector = "search_en" if config == "english" else "search_ar"
    # plainto_tsquery: every word must occur. No phrase or operator syntax: a phrase has to
    # re-read each candidate's whole vector, which is what the bounded search avoids.
    words = query_words(query, config)
    if config == "arabic":
        words = forms_in_the_archive(words)
    tsquery = search_query(words, config)
    matches = Article.objects.published().filter(**{vector: tsquery})
    if section is not None:
        matches = matches.in_section(section)
    if topic is not None:
        matches = matches.about(topic)
    if date_from:
        matches = matches.filter(published_at__date__gte=date_from)
    if date_to:
        matches = matches.filter(published_at__date__lte=date_to)
    candidates = matches.order_by("-published_at", "-id").values("pk")[:MAX_RESULTS]
    return (
        Article.objects.filter(pk__in=candidates)
        .for_listing()
        .annotate(score=search_rank(vector, words, config) * Recency(Now() - F("published_at")))
        .order_by("-score", "-published_at", "-id")
    )


@dataclass
class Hit:
    article: Article
    title: SafeString
    snippet: SafeString


def matching_words(words: set[str], query: str, language: str = "ar") -> set[str]:
    """Which of ``words`` (folded) share a lexeme with the query: PostgreSQL stems both."""
    if not words:
        return set()
    config = SEARCH_CONFIGS.get(language, "arabic")
    forms = " ".join(chain.from_iterable(query_words(query, config)))
    with reading_connection().cursor() as cursor:  # a replica for anonymous readers
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w "
            "WHERE tsvector_to_array(to_tsvector(%s::regconfig, w)) "
            "&& tsvector_to_array(to_tsvector(%s::regconfig, %s))",
            [sorted(words), config, config, forms],
        )
        return {row[0] for row in cursor.fetchall()}


@functools.lru_cache(maxsize=50_000)
def folded_word(word: str) -> str:
    """``normalize_arabic`` for one word, remembered: a result page folds thousands of words,
    mostly the same few hundred."""
    return normalize_arabic(word)


def mark_words(text: str, matches: set[str], *, limit: int | None = None) -> tuple[str, int]:
    """Escape ``text`` and wrap matching words in <mark>; the best window of ``limit`` words.

    Returns the HTML and the number of matches it shows.
    """
    tokens = list(WORD.finditer(text))
    hits = [folded_word(token.group()) in matches for token in tokens]
    first, last = 0, len(tokens)
    if limit is not None and len(tokens) > limit:
        best = current = sum(hits[:limit])
        for start in range(1, len(tokens) - limit + 1):
            current += hits[start + limit - 1] - hits[start - 1]
            if current > best:
                best, first = current, start
        last = first + limit
    if not tokens:
        return escape(text), 0
    start_char = 0 if first == 0 else tokens[first].start()
    end_char = len(text) if last == len(tokens) else tokens[last - 1].end()
    pieces, position = [], start_char
    for token, hit in zip(tokens[first:last], hits[first:last], strict=True):
        if hit:
            pieces.append(escape(text[position : token.start()]))
            pieces.append(f"<mark>{escape(token.group())}</mark>")
            position = token.end()
    pieces.append(escape(text[position:end_char]))
    result = "".join(pieces).strip()
    if first > 0:
        result = "… " + result
    if last < len(tokens):
        result += " …"
    return result, sum(hits[first:last])


def highlight(articles, query: str, language: str = "ar") -> list[Hit]:
    """Titles and snippets of a result page with the matched words marked (one query)."""
    texts = []
    for article in articles:
        body = plain_text(article.body)[:HIGHLIGHT_MAX_CHARS]
        texts.append((article, article.title, " ".join(filter(None, [article.lead, body]))))
    words = {
        folded_word(word)
        for _, title, text in texts
        for word in WORD.findall(title) + WORD.findall(text)
    }
    matches = matching_words(words, query, language)
    hits = []
    for article, title, text in texts:
        marked_title, _count = mark_words(title, matches)
        snippet, _count = mark_words(text, matches, limit=SNIPPET_WORDS)
        hits.append(Hit(article, mark_safe(marked_title), mark_safe(snippet)))
    return hits


# «Did you mean…»: edit distance over the archive's own vocabulary (SearchTerm), in Python,
# so it works on a PostgreSQL without pg_trgm or fuzzystrmatch.
SUGGEST_MIN_LETTERS = 3
SUGGEST_CANDIDATES = 3000
_DEFINITE = re.compile(r"^(?:ال)")


def _key(word: str) -> str:
    return _DEFINITE.sub("", word) if len(word) > 4 else word


def refresh_search_terms(*, min_documents: int = 1, batch_size: int = 20_000, progress=None) -> int:
    """Rebuild the vocabulary from published Arabic articles (folded words, 3+ letters).

    The archive is read ``batch_size`` articles at a time (by id), each batch's word counts
    added into a temporary table, so no statement grows with the archive (one over a million
    articles outlived any timeout); the vocabulary is then replaced in one transaction.
    ``progress(done, total)`` is called after each batch.
    """
    from django.db import transaction

    from discovery.models import SearchTerm

    table = SearchTerm._meta.db_table
    documents = (
        "SELECT to_tsvector('simple', newsroom_search_text("
        "coalesce(title_ar, '') || ' ' || coalesce(lead_ar, '') || ' ' || coalesce(body_ar, '')"
        ")) FROM articles_article WHERE status = 'published' AND published_at <= now() "
        "AND id > {start:d} AND id <= {end:d}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(min(id), 0), coalesce(max(id), 0), count(*) FROM articles_article "
            "WHERE status = 'published' AND published_at <= now()"
        )
        first, last, total = cursor.fetchone()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS search_term_counts")  # a test's open transaction
        cursor.execute(
            "CREATE TEMPORARY TABLE search_term_counts (word text, ndoc integer) ON COMMIT DROP"
        )
        start = first - 1
        while start < last:
            end = start + batch_size
            cursor.execute(
                "INSERT INTO search_term_counts SELECT word, ndoc FROM ts_stat(%s) "
                "WHERE char_length(word) BETWEEN %s AND 100 AND word !~ '[0-9_]'",
                [documents.format(start=start, end=end), SUGGEST_MIN_LETTERS],
            )
            start = end
            if progress is not None:  # ids are not dense: the share of the id range
                progress(round(total * min(1, (end - first + 1) / (last - first + 1))), total)
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} (word, key_length, documents) "
            "SELECT word, char_length(CASE WHEN char_length(word) > 4 "
            "THEN regexp_replace(word, '^ال', '') ELSE word END), sum(ndoc) "
            "FROM search_term_counts GROUP BY word HAVING sum(ndoc) >= %s",
            [min_documents],
        )
        return cursor.rowcount


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or ``limit + 1`` beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def suggest(query: str) -> str | None:
    """The query with unknown words replaced by the closest frequent archive word (one query).

    None when every word is known or nothing is close enough (1 edit, 2 for long words).
    """
    from discovery.models import SearchTerm

    words = [w for w in WORD.findall(normalize_arabic(query)) if not w.isdigit()]
    checked = [w for w in dict.fromkeys(words) if len(w) >= SUGGEST_MIN_LETTERS]
    if not checked:
        return None
    lengths = Q()
    for word in checked:
        n = len(_key(word))
        lengths |= Q(key_length__range=(n - 2, n + 2))
    rows = list(
        SearchTerm.objects.filter(Q(word__in=checked) | lengths)
        .order_by("-documents")
        .values_list("word", "documents")[:SUGGEST_CANDIDATES]
    )
    known = {word for word, _documents in rows}
    keyed = [(_key(word), word, documents) for word, documents in rows]
    replacements = {}
    for word in checked:
        if word in known:
            continue
        key = _key(word)
        limit = 1 if len(key) < 6 else 2
        letters = set(key)
        best = None
        for candidate_key, candidate, documents in keyed:
            if abs(len(candidate_key) - len(key)) > limit:
                continue
            if len(letters - set(candidate_key)) > limit:  # cheap bound before the DP
                continue
            distance = edit_distance(key, candidate_key, limit)
            if distance <= limit and (best is None or (distance, -documents) < best[:2]):
                best = (distance, -documents, candidate)
        if best:
            replacements[word] = best[2]
    if not replacements:
        return None
    return " ".join(replacements.get(word, word) for word in words)

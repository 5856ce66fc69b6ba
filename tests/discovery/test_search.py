"""Arabic full-text search: spelling variants, ranking, highlighting, bad queries, plans."""

import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from articles.text import normalize_arabic
from discovery.models import SearchTerm
from discovery.search import (
    edit_distance,
    forms_in_the_archive,
    mark_words,
    search_articles,
    search_text,
    suggest,
)
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def search_url(lang="ar"):
    with translation.override(lang):
        return reverse("discovery:search")


def titles(queryset):
    return [article.title_ar for article in queryset]


@pytest.fixture
def foreigners():
    return make_article(
        "ترحيل الأجانب من المدينة",
        lead_ar="قرار جديد بشأن الإقامة",
        body_ar="<p>قالت الحكومة إن القرار يشمل جميع المقيمين.</p>",
    )


class TestSpellingVariants:
    @pytest.mark.parametrize(
        "query",
        [
            "الأجانب",
            "الاجانب",
            "الأجانـب",  # tatweel
            "الأَجَانِبُ",  # tashkeel
            "الإجانب",
            "ٱلأجانب",
            "أجانب",
            "\u200fالأجانب\u200e",  # bidi marks pasted with the word
        ],
    )
    def test_every_variant_finds_the_article(self, foreigners, query):
        make_article("خبر آخر عن الطقس")
        assert titles(search_articles(query)) == [foreigners.title_ar]

    def test_stored_text_is_folded_too(self):
        article = make_article("مدرسة الأَطْفَالِ في حلب", body_ar="<p>مسؤولو المدرسة</p>")
        for query in ("مدرسه", "مدرسة", "الاطفال", "مسوولو", "مسؤولو"):
            assert titles(search_articles(query)) == [article.title_ar], query

    @pytest.mark.parametrize(
        ("title", "queries"),
        [
            ("المكتبة الوطنية تبدأ رقمنة المخطوطات", ["مكتبة", "مكتبه", "المكتبه"]),
            ("مكتبة عامة في الحي", ["المكتبة", "المكتبه"]),
            ("ترميم قاعة أثرية في قصر العظم", ["القاعة الأثرية", "القاعه الاثريه"]),
            ("مهرجان الربيع للفنون الشعبية", ["شعبية", "شعبيه", "الشعبيه"]),
            ("افتتاح مدينة الفيحاء الرياضية", ["رياضية", "المدينة الرياضيه"]),
            # no «ة»: the stemmer brings «المستهلك» to «مستهلك» but «مستهلك» to «مستهل»,
            # «الزيتون» to «زيت» but «زيتون» to itself (a reader's «مستهلك» found nothing)
            ("حماية المستهلك في الأسواق", ["مستهلك", "المستهلك"]),
            ("موسم الزيتون في عفرين", ["زيتون", "الزيتون"]),
            ("زيتون الساحل هذا العام", ["الزيتون"]),
            # «وال» and «فال» stay on the stem («والكهرباء» is stored as itself): a reader's
            # «الكهرباء» missed «فواتير الماء والكهرباء»
            ("تسديد فواتير الماء والكهرباء", ["الكهرباء", "كهرباء", "والكهرباء"]),
            ("أسعار البندورة والخيار", ["الخيار", "خيار"]),
            ("فالمستهلك يدفع الثمن", ["المستهلك", "مستهلك"]),
        ],
    )
    def test_a_word_is_found_with_or_without_the_article(self, title, queries):
        """PostgreSQL's Arabic stemmer keeps «ال» on a word ending in «ة» and «لل» before any
        word: «المكتبة» is stored as «مكتبه» where «مكتبة» becomes «مكتب». Each form finds
        the other (a reader reported «مكتبة» missing «المكتبة الوطنية»)."""
        article = make_article(title)
        make_article("سوق للكتب المستعملة في دمشق")  # shares no word with the queries
        call_command("refresh_search_terms", verbosity=0)  # «والكهرباء» is in the vocabulary
        for query in queries:
            assert titles(search_articles(query)) == [article.title_ar], query

    @pytest.mark.parametrize("query", ["!!", "'", "((", "<->", "\\", "ـــ", "x' | y", "a:b*"])
    def test_operators_and_punctuation_are_never_read_as_a_query(self, foreigners, query):
        """The words go to ``to_tsquery`` (the forms are OR-ed there): only letters and digits
        reach it, and a query with none finds nothing, without an error."""
        assert titles(search_articles(query)) == []

    def test_a_word_in_both_forms_does_not_count_twice_in_the_ranking(self):
        """«قافلة» in the title and «القافلة» in the body is the word twice, as «قافلة» twice
        is: the more recent article comes first, as it did before both forms were searched."""
        older = make_article(
            "قافلة مساعدات", body_ar="<p>وصلت القافلة إلى المدينة.</p>", ago=timedelta(days=2)
        )
        newer = make_article("قافلة جديدة", body_ar="<p>قافلة أخرى.</p>")
        assert titles(search_articles("قافلة")) == [newer.title_ar, older.title_ar]

    def test_a_word_with_wal_is_found_and_marked_for_the_article_form(self, client):
        make_article("تسديد فواتير الماء والكهرباء")
        call_command("refresh_search_terms", verbosity=0)
        page = client.get(search_url(), {"q": "الكهرباء"}).content.decode()
        assert "<mark>والكهرباء</mark>" in page

    def test_a_wal_form_is_searched_only_when_the_archive_has_it(self):
        """Forms the planner has no statistics for made a rare word look common: the search
        walked the whole date index for it. Only the vocabulary's «وال» forms are added."""
        make_article("تسديد فواتير الماء والكهرباء")
        assert titles(search_articles("الكهرباء")) == []  # not in the vocabulary yet
        call_command("refresh_search_terms", verbosity=0)
        assert titles(search_articles("الكهرباء")) == ["تسديد فواتير الماء والكهرباء"]
        assert forms_in_the_archive([["الكهرباء", "كهرباء", "فالكهرباء", "والكهرباء"]]) == [
            ["الكهرباء", "كهرباء", "والكهرباء"]
        ]
        assert forms_in_the_archive([["والكهرباء", "كهرباء"]]) == [["والكهرباء", "كهرباء"]]

    def test_a_word_with_the_article_is_highlighted_by_its_bare_form(self, client):
        make_article("المكتبة الوطنية تبدأ رقمنة المخطوطات")
        content = client.get(search_url(), {"q": "مكتبة"}).content.decode()
        assert "<mark>المكتبة</mark>" in content

    def test_arabic_indic_digits_meet_western_digits(self):
        article = make_article("ميزانية عام ٢٠٢٤", body_ar="<p>نص</p>")
        assert titles(search_articles("2024")) == [article.title_ar]
        assert titles(search_articles("٢٠٢٤")) == [article.title_ar]

    def test_vector_follows_edits(self, foreigners):
        foreigners.title_ar = "عنوان آخر تماما"
        foreigners.lead_ar = ""
        foreigners.save()
        assert titles(search_articles("الأجانب")) == []
        assert titles(search_articles("تماما")) == [foreigners.title_ar]

    def test_html_tags_are_not_indexed(self):
        make_article("خبر", body_ar='<p><a href="https://example.com/strong">رابط</a></p>')
        assert titles(search_articles("strong")) == []
        assert len(search_articles("رابط")) == 1

    def test_only_published_articles(self, foreigners):
        make_article("الأجانب في مسودة", published=False)
        make_article("الأجانب غدا", ago=-timedelta(days=1))
        assert titles(search_articles("الأجانب")) == [foreigners.title_ar]


class TestSqlAndPythonFoldingAgree:
    def test_every_relevant_character(self):
        ranges = [
            *range(0x20, 0x7F),
            *range(0x80, 0xA0),
            *range(0x0600, 0x0700),
            *range(0x200B, 0x2070),
            *range(0xFB50, 0xFB60),
            *range(0xFE70, 0xFEFD),
            0xFEFF,
        ]
        samples = [chr(code) for code in ranges]
        samples += ["<p>الأجانب &amp; &lt;b&gt; &quot;x&quot; &#39;y&#39;&nbsp;z</p>", "لا ﻻ"]
        samples += ["في سنة ١٩٨٢ مدينة حماة ۱۲ إلى أُخرى مؤسسة هيئة مستشفى آل ٱلكتاب"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT newsroom_search_text(t) FROM unnest(%s::text[]) t", [samples])
            in_sql = [row[0] for row in cursor.fetchall()]
        mismatches = [
            (hex(ord(s)) if len(s) == 1 else s, sql, search_text(s))
            for s, sql in zip(samples, in_sql, strict=True)
            if sql != search_text(s)
        ]
        assert mismatches == []


class TestRanking:
    def test_title_match_outranks_body_match(self):
        body = make_article("تقرير اقتصادي", body_ar="<p>ارتفاع أسعار الخبز في دمشق</p>")
        title = make_article("أسعار الخبز ترتفع", body_ar="<p>تقرير عن السوق</p>")
        assert titles(search_articles("الخبز")) == [title.title_ar, body.title_ar]

    def test_lead_outranks_body(self):
        body = make_article("خبر أول", body_ar="<p>انقطاع الكهرباء</p>")
        lead = make_article("خبر ثان", lead_ar="انقطاع الكهرباء", body_ar="<p>نص</p>")
        assert titles(search_articles("الكهرباء")) == [lead.title_ar, body.title_ar]

    def test_recent_article_favoured_when_equal(self):
        old = make_article("افتتاح معرض الكتاب", ago=timedelta(days=400))
        new = make_article("افتتاح معرض الكتاب", ago=timedelta(days=2))
        assert titles(search_articles("معرض")) == [new.title_ar, old.title_ar]
        assert [a.pk for a in search_articles("معرض")] == [new.pk, old.pk]

    def test_filters_by_section_and_dates(self):
        sport = make_section("رياضة")
        in_sport = make_article("فوز المنتخب", section=sport, ago=timedelta(days=3))
        make_article("فوز الحزب", ago=timedelta(days=3))
        old = make_article("فوز قديم", section=sport, ago=timedelta(days=60))
        assert set(titles(search_articles("فوز", section=sport))) == {
            in_sport.title_ar,
            old.title_ar,
        }
        since = (in_sport.published_at - timedelta(days=1)).date()
        assert titles(search_articles("فوز", section=sport, date_from=since)) == [in_sport.title_ar]
        assert titles(search_articles("فوز", section=sport, date_to=since)) == [old.title_ar]


class TestEnglishPages:
    def test_english_search_uses_english_fields_and_stemming(self, client):
        article = make_article(
            "خبر", title_en="Foreigners leave the city", body_en="<p>Residents moving</p>"
        )
        make_article("الأجانب يغادرون")
        assert [a.pk for a in search_articles("foreigner", language="en")] == [article.pk]
        assert [a.pk for a in search_articles("move", language="en")] == [article.pk]
        response = client.get(search_url("en"), {"q": "foreigner"})
        assert response.status_code == 200
        assert "<mark>Foreigners</mark> leave the city" in response.content.decode()

    def test_a_score_is_found_as_written(self, client):
        """«Jableh 2-0» found nothing: the index reads «-0» as a signed number."""
        match = make_article("فوز الوثبة", title_en="Al-Wathba beat Jableh 2-0 to close in")
        make_article("خبر آخر", title_en="Jableh 20 years on")
        for query in ("Jableh 2-0", "2-0"):
            assert [a.pk for a in search_articles(query, language="en")] == [match.pk], query
        arabic = make_article("الوثبة يتغلب على جبلة 2-0")
        assert [a.pk for a in search_articles("جبلة 2-0")] == [arabic.pk]
        assert client.get(search_url("en"), {"q": "2-0"}).status_code == 200

    def test_arabic_words_on_the_english_site_search_the_arabic_text(self, client):
        """The English lists show Arabic-only articles («In Arabic»): a reader who types
        Arabic there finds them too (it found nothing)."""
        arabic_only = make_article("الأجانب يغادرون دمشق")
        make_article("خبر آخر", title_en="Another story")
        content = client.get(search_url("en"), {"q": "دمشق"}).content.decode()
        assert arabic_only.get_absolute_url().replace("/ar/", "/en/") in content
        assert "<mark>دمشق</mark>" in content
        # its title and snippet are marked Arabic, read right to left on the English page
        assert '<p class="search-snippet" lang="ar" dir="rtl">' in content
        assert 'lang="ar" dir="rtl"><mark>' in content or 'lang="ar" dir="rtl">الأجانب' in content
        english = client.get(search_url("en"), {"q": "story"}).content.decode()
        assert "Another" in english and "دمشق" not in english  # English words: English text


class TestSearchPage:
    def test_results_are_highlighted_in_original_spelling(self, client, foreigners):
        response = client.get(search_url(), {"q": "الاجانب"})
        content = response.content.decode()
        assert response.status_code == 200
        assert "ترحيل <mark>الأجانب</mark> من المدينة" in content
        assert "قرار جديد بشأن الإقامة" in content  # the snippet
        assert "<h1>" in content and "نتيجة" in content

    def test_snippet_picks_the_matching_passage(self, client):
        filler = " ".join(f"كلمة{n}" for n in range(80))
        make_article(
            "تقرير طويل",
            body_ar=f"<p>{filler}</p><p>وصل وفد الأجانب إلى الحدود اليوم.</p>",
        )
        content = client.get(search_url(), {"q": "أجانب"}).content.decode()
        snippet = re.search(r'<p class="search-snippet">(.*?)</p>', content, re.S).group(1)
        assert "<mark>الأجانب</mark>" in snippet
        assert snippet.startswith("… ")
        assert "كلمة0 " not in snippet

    def test_text_is_escaped_around_marks(self, client):
        make_article("<b>الأجانب</b> & <script>x</script>", body_ar="<p>نص</p>")
        content = client.get(search_url(), {"q": "الأجانب"}).content.decode()
        assert "&lt;b&gt;<mark>الأجانب</mark>&lt;/b&gt; &amp; &lt;script&gt;" in content
        assert "<script>x" not in content

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("", "اكتب كلمة للبحث عنها."),
            ("   ", "اكتب كلمة للبحث عنها."),
            ("\u200f\u200b", "اكتب كلمة للبحث عنها."),
            ("ب", "البحث قصير جدا: اكتب حرفين على الأقل."),
            ("ـبُـ", "البحث قصير جدا: اكتب حرفين على الأقل."),
            ("؟!،.", "ابحث عن كلمات، لا عن علامات ترقيم فقط."),
            ("«»...", "ابحث عن كلمات، لا عن علامات ترقيم فقط."),
            ("الأجانب " * 30, "البحث طويل جدا: استعمل 100 حرف على الأكثر."),
        ],
    )
    def test_bad_queries_get_a_clear_arabic_message(self, client, foreigners, query, message):
        response = client.get(search_url(), {"q": query})
        assert response.status_code == 200
        content = response.content.decode()
        assert message in content
        assert 'class="search-result"' not in content

    def test_stopwords_only_query_finds_nothing_quietly(self, client, foreigners):
        response = client.get(search_url(), {"q": "في من"})
        assert response.status_code == 200
        assert "لا يوجد خبر يطابق هذا البحث" in response.content.decode()

    def test_bad_dates_and_section_do_not_break(self, client, foreigners):
        response = client.get(
            search_url(), {"q": "الأجانب", "date_from": "2025-13-40", "section": "لا-يوجد"}
        )
        assert response.status_code == 200
        assert 'class="search-result"' not in response.content.decode()
        response = client.get(
            search_url(), {"q": "الأجانب", "date_from": "2025-05-02", "date_to": "2025-05-01"}
        )
        assert "تاريخ البداية بعد تاريخ النهاية." in response.content.decode()

    def test_arabic_indic_dates_are_accepted(self, client, foreigners):
        today = date.today()
        arabic = today.isoformat().translate({ord(str(d)): chr(0x0660 + d) for d in range(10)})
        response = client.get(search_url(), {"q": "الأجانب", "date_from": arabic})
        assert response.context["form"].cleaned_data["date_from"] == today

    def test_page_without_query_shows_form_only(self, client):
        response = client.get(search_url())
        assert response.status_code == 200
        content = response.content.decode()
        assert 'name="q"' in content and 'class="search-results"' not in content

    def test_no_results_message(self, client, foreigners):
        content = client.get(search_url(), {"q": "زلزال"}).content.decode()
        assert "لا يوجد خبر يطابق هذا البحث" in content

    def test_pagination_keeps_the_query(self, client):
        for n in range(12):
            make_article(f"اجتماع رقم {n}")
        first = client.get(search_url(), {"q": "اجتماع"})
        assert len(first.context["hits"]) == 10
        assert "?q=%D8%A7%D8%AC%D8%AA%D9%85%D8%A7%D8%B9&amp;page=2" in first.content.decode()
        second = client.get(search_url(), {"q": "اجتماع", "page": 2})
        assert len(second.context["hits"]) == 2

    def test_header_has_a_search_box(self, client, foreigners):
        content = client.get(foreigners.get_absolute_url()).content.decode()
        assert f'action="{search_url()}"' in content and 'role="search"' in content
        # two search landmarks on the search page, each named
        page = client.get(search_url()).content.decode()
        labels = re.findall(r'role="search" aria-label="([^"]+)"', page)
        assert labels == ["ابحث في الموقع", "بحث مع التصفية"], labels

    def test_search_page_query_count_is_fixed(self, client, django_assert_num_queries):
        for n in range(15):
            make_article(f"مؤتمر صحفي {n}")
        # sections (filter), the «وال»/«فال» forms in the vocabulary, count, page, bylines,
        # highlighted words, sections menu, footer, breaking-news ticker
        with django_assert_num_queries(9):
            client.get(search_url(), {"q": "مؤتمر"})


class TestHighlighter:
    def test_marks_only_matching_words_and_escapes(self):
        html, count = mark_words("أ<b> الأجانب، والأجانب", {normalize_arabic("الأجانب")})
        assert html == "أ&lt;b&gt; <mark>الأجانب</mark>، والأجانب"
        assert count == 1


def test_search_uses_the_gin_index_not_a_body_scan():
    """On a few thousand analysed rows a rare word is found through the GIN index, without
    reading the article table sequentially (tools/bench/search_bench.py prints the 100k plans)."""
    from tools.bench.search_bench import insert_articles, vocabulary

    section = make_section()
    rare = make_article("خبر عن المفاعلات النووية")
    with connection.cursor() as cursor:
        insert_articles(
            cursor, 3000, words=vocabulary(2000), section_ids=[section.pk], body_words=12,
            first_id=rare.pk + 1,
        )  # fmt: skip
        # What autovacuum does in production: merge GIN's pending list, refresh statistics.
        cursor.execute("SELECT gin_clean_pending_list('article_search_ar_gin'::regclass)")
        cursor.execute("ANALYZE articles_article")
    plan = search_articles("المفاعلات").explain()
    assert "Seq Scan on articles_article" not in plan, plan
    assert "Bitmap Index Scan on article_search_ar_gin" in plan, plan
    assert [a.pk for a in search_articles("مفاعل")] == [rare.pk]


class TestSuggestions:
    """«Did you mean…» from the archive's own words: no pg_trgm on the embedded server."""

    @pytest.fixture
    def archive(self):
        make_article("ترحيل الأجانب من المدينة", body_ar="<p>قرار الحكومة الجديد</p>")
        make_article("الأجانب في حلب", body_ar="<p>الحكومة تعلن</p>")
        make_article("كلمة سرية في مسودة", published=False)
        call_command("refresh_search_terms", verbosity=0)

    def test_vocabulary_comes_from_published_articles_only(self, archive):
        words = set(SearchTerm.objects.values_list("word", flat=True))
        assert {"الاجانب", "الحكومه", "المدينه", "ترحيل"} <= words
        assert "سريه" not in words and "مسوده" not in words
        assert SearchTerm.objects.get(word="الاجانب").documents == 2

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("الاجنب", "الاجانب"),  # a letter missing
            ("الأجانبب", "الاجانب"),  # one too many
            ("الحكموه", "الحكومه"),  # two letters swapped
            ("ترحيل الاجنب", "ترحيل الاجانب"),  # known words kept
            ("الأجانب", None),  # nothing to correct
            ("زلزال", None),  # nothing close enough
        ],
    )
    def test_suggest(self, archive, query, expected):
        assert suggest(query) == expected

    def test_edit_distance(self):
        assert edit_distance("كتاب", "كتاب", 2) == 0
        assert edit_distance("كتاب", "كتب", 2) == 1
        assert edit_distance("كتاب", "كاتب", 2) == 1  # transposition
        assert edit_distance("كتاب", "مدرسة", 2) == 3  # beyond the limit

    def test_page_offers_the_suggestion(self, client, archive, django_assert_num_queries):
        # sections, the «وال»/«فال» forms in the vocabulary, ids, vocabulary, sections menu,
        # footer, breaking-news ticker
        with django_assert_num_queries(7):
            response = client.get(search_url(), {"q": "الاجنب"})
        content = response.content.decode()
        assert "هل تقصد:" in content
        assert "?q=%D8%A7%D9%84%D8%A7%D8%AC%D8%A7%D9%86%D8%A8" in content
        assert ">الاجانب</a>" in content

    def test_a_latin_query_that_finds_nothing_is_offered_the_english_site(self, client, archive):
        """«Damascus» on the Arabic site searched the Arabic text only, without a word."""
        make_article("دمشق", title_en="Damascus market reopens", body_en="<p>Traders.</p>")
        content = client.get(search_url(), {"q": "Damascus"}).content.decode()
        assert "Search the English site for “Damascus”" in content
        assert 'href="/en/search/?q=Damascus"' in content
        english = client.get("/en/search/?q=Damascus").content.decode()
        assert "<mark>Damascus</mark> market" in english
        assert "Search the English site" not in english
        for arabic in ("الاجنب", "زلزال"):  # an Arabic query is offered no such link
            page = client.get(search_url(), {"q": arabic}).content.decode()
            assert "Search the English site" not in page

    def test_no_suggestion_when_there_are_results(self, client, archive):
        content = client.get(search_url(), {"q": "الأجانب"}).content.decode()
        assert "هل تقصد" not in content

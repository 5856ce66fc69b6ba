from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from articles.models import Article, Author
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


class TestSlugs:
    def test_slug_made_from_arabic_title(self):
        article = make_article("اقتصاد سورية في عام جديد")
        assert article.slug == "اقتصاد-سورية-في-عام-جديد"

    def test_colliding_titles_get_distinct_slugs(self):
        first = make_article("خبر مكرر")
        second = make_article("خبر مكرر")
        third = make_article("خبر مكرر")
        assert [first.slug, second.slug, third.slug] == ["خبر-مكرر", "خبر-مكرر-2", "خبر-مكرر-3"]

    def test_a_breaking_label_stays_out_of_the_address(self):
        """«عاجل-زلزال-…» kept «عاجل» in the address for good, long after the news."""
        assert make_article("عاجل: زلزال بقوة 4 درجات").slug == "زلزال-بقوة-4-درجات"
        assert make_article("عاجل قديم").slug == "عاجل-قديم"  # a word of the headline

    def test_punctuation_only_title_still_gets_a_slug(self):
        assert make_article("؟؟؟").slug == "article"

    def test_team_author_slug(self):
        team = make_author("فريق ماسة", kind=Author.Kind.TEAM)
        assert team.slug == "فريق-ماسة"
        assert team.is_team


class TestPublished:
    @pytest.mark.parametrize(
        ("status", "offset", "visible"),
        [
            (Article.Status.PUBLISHED, -timedelta(hours=1), True),
            (Article.Status.PUBLISHED, timedelta(hours=1), False),
            (Article.Status.DRAFT, -timedelta(hours=1), False),
            (Article.Status.DRAFT, timedelta(hours=1), False),
        ],
    )
    def test_published_across_time_and_status(self, status, offset, visible):
        article = make_article()
        Article.objects.filter(pk=article.pk).update(
            status=status, published_at=timezone.now() + offset
        )
        assert Article.objects.published().filter(pk=article.pk).exists() is visible

    def test_published_without_time_is_refused_by_the_database(self):
        article = make_article(published=False)
        with pytest.raises(IntegrityError):
            Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)

    def test_publishing_sets_the_time(self):
        article = make_article(published=False)
        article.status = Article.Status.PUBLISHED
        article.save()
        assert article.published_at is not None
        assert article.is_published()


class TestTranslations:
    def test_english_falls_back_to_arabic(self):
        article = make_article("عنوان عربي فقط")
        with translation.override("en"):
            assert Article.objects.get(pk=article.pk).title == "عنوان عربي فقط"

    def test_english_text_when_given(self):
        article = make_article("عنوان عربي", title_en="English title")
        with translation.override("en"):
            assert Article.objects.get(pk=article.pk).title == "English title"
        with translation.override("ar"):
            assert Article.objects.get(pk=article.pk).title == "عنوان عربي"


class TestBody:
    def test_body_is_sanitised_on_save(self):
        article = make_article(
            body_ar='<p onclick="x()">نص</p><script>alert(1)</script>'
            '<a href="javascript:x">رابط</a>'
        )
        article.refresh_from_db()
        assert "<script" not in article.body_ar
        assert "onclick" not in article.body_ar
        assert "javascript:" not in article.body_ar
        assert "<p>نص</p>" in article.body_ar


def test_bylines_keep_their_order():
    first, second = make_author("ب"), make_author("أ")
    article = make_article(authors=[first, second])
    assert Article.objects.for_listing().get(pk=article.pk).ordered_authors == [first, second]


def test_section_requires_arabic_name():
    from articles.models import Section

    with pytest.raises(ValidationError) as error:
        Section(name_ar="", name_en="Politics").full_clean()
    assert "name_ar" in error.value.message_dict


def test_section_slug_is_unicode():
    assert make_section("من الأرشيف").slug == "من-الأرشيف"

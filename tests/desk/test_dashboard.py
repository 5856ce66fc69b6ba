"""The editors' dashboard (the admin index) and the charts: figures, a flat query budget,
SVG with a title and a table, Arabic labels, the site's digits, time read right to left."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from counters.models import ArticleViewDay, ArticleViewHour
from desk.charts import Point, bar_chart
from desk.dashboard import dashboard_context
from tests.articles.desk_helpers import article_admin_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def hour_now():
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def newsroom(n):
    """n articles published today, two scheduled, views in the last hours."""
    for index in range(n):
        article = make_article(f"خبر اليوم {index}", ago=timedelta(minutes=1))
        for back in range(3):
            ArticleViewHour.objects.create(
                article=article, hour=hour_now() - timedelta(hours=back), views=index + back + 1
            )
    for index in range(2):
        scheduled = make_article(f"خبر مجدول {index}", published=False)
        Article.objects.filter(pk=scheduled.pk).update(
            status="scheduled", published_at=timezone.now() + timedelta(hours=index + 1)
        )


def test_the_dashboard_costs_the_same_queries_whatever_the_newsroom(django_assert_num_queries):
    # published today, the queue, comments waiting, most read, views per hour; the queue's
    # length is counted apart only when it is longer than the list shown
    newsroom(2)
    with django_assert_num_queries(5):
        dashboard_context()
    newsroom(12)
    with django_assert_num_queries(5):
        context = dashboard_context()
    assert len(context["most_read"]) == 10
    assert context["scheduled_count"] == "4"
    for _n in range(4):
        newsroom(0)
    with django_assert_num_queries(6):
        context = dashboard_context()
    assert context["scheduled_count"] == "12"
    assert len(context["scheduled"]) == 10


def test_the_dashboard_shows_todays_figures_and_the_hourly_chart(desk):
    ArticleViewHour.objects.create(article=desk["article"], hour=hour_now(), views=42)
    old = make_article("خبر قديم", ago=timedelta(days=3))
    ArticleViewHour.objects.create(article=old, hour=hour_now() - timedelta(hours=30), views=9)
    page = desk["a"].get("/ar/admin/").content.decode()
    assert "اليوم في مكتب التحرير" in page
    assert "نُشر اليوم" in page and "مجدول" in page and "تعليقات بانتظار المراجعة" in page
    assert "الأكثر قراءة في آخر 24 ساعة" in page
    most_read = page.split("الأكثر قراءة في آخر 24 ساعة")[1].split("</section>")[0]
    assert "خبر أول على المكتب" in most_read and "خبر قديم" not in most_read  # 30 h ago
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert re.search(r"<title id=\"desk-views-per-hour-title\">المشاهدات ساعةً بساعة", page)
    assert "الأرقام في جدول" in page  # the table for screen readers
    assert page.count('<tr><th scope="row">') == 48


def test_a_writer_is_not_sent_to_the_comments_they_may_not_open(client, django_user_model):
    """The writer's dashboard linked «تعليقات بانتظار المراجعة» to a 403."""
    from django.urls import reverse

    from tests.articles.desk_helpers import make_staff

    comments = reverse("admin:comments_readercomment_changelist")
    client.force_login(make_staff("كتّاب الأخبار", username="writer"))
    page = client.get("/ar/admin/").content.decode()
    assert "تعليقات بانتظار المراجعة" in page and f'href="{comments}"' not in page
    chief = django_user_model.objects.create_superuser("chief", password="x")
    client.force_login(chief)
    assert f'href="{comments}"' in client.get("/ar/admin/").content.decode()


def test_writers_without_desk_rights_see_no_dashboard(client):
    from tests.articles.desk_helpers import make_staff

    moderator = make_staff("مشرفو التعليقات", username="moderator")
    client.force_login(moderator)
    page = client.get("/ar/admin/").content.decode()
    assert "اليوم في مكتب التحرير" not in page


def test_the_article_form_shows_views_per_day_for_30_days(desk):
    article = desk["article"]
    today = timezone.localdate()
    ArticleViewDay.objects.create(article=article, day=today, views=7)
    ArticleViewDay.objects.create(article=article, day=today - timedelta(days=2), views=5)
    ArticleViewDay.objects.create(article=article, day=today - timedelta(days=40), views=99)
    page = desk["a"].get(article_admin_url("change", article.pk)).content.decode()
    chart = page.split(f'id="desk-views-per-day-{article.pk}"')[1].split("</figure>")[0]
    assert "المشاهدات يوماً بيوم، آخر 30 يوماً" in chart
    assert chart.count('<tr><th scope="row">') == 30
    assert "المجموع 12" in chart  # the 40-day-old views are outside


def test_charts_run_right_to_left_with_the_sites_digits(settings):
    settings.NEWSROOM_DIGITS = "arabic-indic"
    points = [Point(label=f"اليوم {n}", tick=str(n), value=n * 10) for n in range(1, 4)]
    svg = bar_chart(chart_id="c", title="عنوان", points=points, column="اليوم")
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', svg)]
    assert xs == sorted(xs, reverse=True)  # the oldest bar furthest right
    assert "٣٠" in svg and "30" not in re.sub(r'"[^"]*"', "", svg)  # digits, not in attributes
    assert '<title id="c-title">عنوان</title>' in svg
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg


def test_an_empty_chart_draws_without_dividing_by_zero():
    svg = bar_chart(chart_id="e", title="لا شيء", points=[Point("a", "a", 0)], column="x")
    assert 'height="0.0"' in svg
    assert "," not in "".join(
        re.findall(r'(?:x|y|width|height)="([^"]*)"', svg)
    )  # no decimal comma
    axis = re.findall(r'dy="4">([^<]*)</text>', svg)
    assert axis == ["0"], axis  # «0» once, not three ticks all reading «0»


def test_a_section_shows_its_articles_views_per_day(desk):
    article = desk["article"]
    neighbour = make_article("خبر جار", section=article.section)
    elsewhere = make_article("خبر في قسم آخر")
    today = timezone.localdate()
    ArticleViewDay.objects.create(article=article, day=today, views=3)
    ArticleViewDay.objects.create(article=neighbour, day=today, views=4)
    ArticleViewDay.objects.create(article=elsewhere, day=today, views=50)
    url = f"/ar/admin/articles/section/{article.section.pk}/change/"
    page = desk["a"].get(url).content.decode()
    chart = page.split(f'id="desk-section-views-{article.section.pk}"')[1].split("</figure>")[0]
    assert "المشاهدات يوماً بيوم، آخر 30 يوماً" in chart
    assert "المجموع 7" in chart

"""The drills' articles: published an hour ago, in a section and with an author of their own,
as a reader finds them. Run inside the scratch newsroom's ``manage.py shell`` (the drills'
setup), so tools never reach into the tests' factories."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Author, Byline, Section


def make_article(title: str) -> Article:
    section, _ = Section.objects.get_or_create(slug="drill", defaults={"name_ar": "تمرين"})
    author, _ = Author.objects.get_or_create(slug="drill", defaults={"name_ar": "محرر التمرين"})
    article = Article.objects.create(
        title_ar=title,
        body_ar="<p>نص خبر التمرين.</p>",
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    Byline.objects.create(article=article, author=author, position=0)
    return article

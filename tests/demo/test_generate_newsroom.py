import pytest
from django.core.management import call_command

from articles.models import Article
from comments.models import ReaderComment

pytestmark = pytest.mark.django_db


def test_generated_newsroom_has_threaded_comments_of_our_model():
    call_command("generate_newsroom", articles=40, sections=3, authors=3, comments=120, verbosity=0)
    assert Article.objects.published().count() == 40
    assert ReaderComment.objects.count() == 120
    comment = ReaderComment.objects.first()
    assert comment.thread_id == comment.pk and comment.level == 0
    counts = (
        Article.objects.published().with_comment_count().values_list("comment_count", flat=True)
    )
    assert sum(counts) == 120

import pytest
from django.test import Client

from tests.articles.desk_helpers import make_staff
from tests.factories import make_article


@pytest.fixture
def editor_a():
    user = make_staff("المحررون", username="salma")
    user.first_name, user.last_name = "سلمى", "الحسن"
    user.save()
    return user


@pytest.fixture
def editor_b():
    user = make_staff("المحررون", username="omar")
    user.first_name, user.last_name = "عمر", "الخطيب"
    user.save()
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk(editor_a, editor_b):
    """Two editors, each in their own browser (client), and one published article."""
    article = make_article("خبر أول على المكتب")
    return {"article": article, "a": signed_in(editor_a), "b": signed_in(editor_b)}

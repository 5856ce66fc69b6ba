"""The admin history's messages in the desk's language (newsroom/audit.py change_message)."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext_lazy

from articles.models import Article
from newsroom.audit import change_message

pytestmark = pytest.mark.django_db


def entry(message) -> LogEntry:
    return LogEntry(content_type=ContentType.objects.get_for_model(Article), change_message=message)


def test_stored_english_labels_are_named_in_the_desks_language():
    stored = json.dumps([{"changed": {"fields": ["Title [ar]", "Status", "Not a field"]}}])
    with translation.override("ar"):
        assert change_message(entry(stored)) == "تم تغيير العنوان (العربية)، الحالة و Not a field."
    with translation.override("en"):
        assert change_message(entry(stored)) == "Changed Title (Arabic), Status and Not a field."


@pytest.mark.parametrize("message", ["Restored a layout.", gettext_lazy("Restored a layout.")])
def test_a_sentence_of_the_desks_own_is_shown_as_it_is(message):
    """log_change with a sentence (even a lazy one) is not JSON: it was a TypeError, a 500 on
    every action that logs one (publishing a front page)."""
    assert change_message(entry(message)) == "Restored a layout."

"""The comment form alone, like comments-xtd's tests/test_forms.py: get_form()(target, data)."""

import time

import django_comments
import pytest
from django.utils import translation

from comments.forms import CommentForm
from comments.models import BlockedTerm, ReaderComment
from tests.comments.conftest import form_data, publish_comment

pytestmark = pytest.mark.django_db


def make_form(article, **fields):
    return django_comments.get_form()(article, data=form_data(article, **fields))


def test_the_library_returns_our_form_and_model():
    assert django_comments.get_form() is CommentForm
    assert django_comments.get_model() is ReaderComment


def test_a_complete_form_is_valid(article):
    form = make_form(article)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "الرجاء كتابة اسمك."),
        ("email", "الرجاء كتابة بريدك الإلكتروني."),
        ("comment", "الرجاء كتابة تعليقك."),
    ],
)
def test_each_required_field_missing_gives_an_arabic_message(article, field, message):
    form = make_form(article, **{field: ""})
    assert not form.is_valid()
    assert form.errors[field] == [message]
    assert set(form.errors) == {field}


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b\u200b",  # zero-width spaces
        "\u200f\u200e",  # bidi marks
        "\u0640\u0640\u0640",  # tatweel
        " \u202e\u2066\u2069 ",  # override and isolates with spaces
        "\x00",  # NUL
    ],
)
@pytest.mark.parametrize("field", ["name", "comment", "email"])
def test_a_field_of_only_invisible_characters_counts_as_empty(article, field, invisible):
    form = make_form(article, **{field: invisible})
    assert not form.is_valid()
    assert field in form.errors
    assert "مطلوب" in form.errors[field][0] or "الرجاء كتابة" in form.errors[field][0]


def test_bidi_overrides_and_control_characters_are_stripped(article):
    form = make_form(
        article,
        name="سل\u202eمى\u200b",
        comment="نص \u202aمع\u202c تجاوز\u2066 اتجاه\u2069 و\x00صفر",
        email="\u200bsalma@example.com",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "سلمى"
    assert form.cleaned_data["comment"] == "نص مع تجاوز اتجاه وصفر"
    assert form.cleaned_data["email"] == "salma@example.com"


def test_tatweel_inside_a_word_is_kept(article):
    form = make_form(article, comment="جميـــل")
    assert form.is_valid()
    assert form.cleaned_data["comment"] == "جميـــل"


def test_invalid_email_is_refused_in_arabic(article):
    form = make_form(article, email="not-an-address")
    assert form.errors["email"] == ["الرجاء كتابة بريد إلكتروني صحيح، مثل name@example.com."]


def test_over_long_name_and_comment_are_refused_clearly(article, settings):
    settings.COMMENT_MAX_LENGTH = 100
    form = make_form(article, name="ا" * 51, comment="ب" * 101)
    assert not form.is_valid()
    assert "50" in form.errors["name"][0]
    assert "101" in form.errors["comment"][0] and "100" in form.errors["comment"][0]


def test_labels_are_arabic_and_english_on_english_pages(article):
    with translation.override("ar"):
        form = CommentForm(article)
        assert [str(form.fields[f].label) for f in ("name", "email", "comment")] == [
            "الاسم",
            "البريد الإلكتروني",
            "التعليق",
        ]
    with translation.override("en"):
        form = make_form(article, name="")
        assert str(form.fields["name"].label) == "Name"
        assert form.errors["name"] == ["Please write your name."]


def test_sent_too_fast_is_refused(article):
    form = make_form(article, age=0)
    assert not form.is_valid()
    assert "أسرع" in form.non_field_errors()[0]


def test_expired_form_keeps_text_and_gets_a_fresh_timestamp(article):
    form = make_form(article, age=3 * 3600)
    assert not form.is_valid()
    assert "timestamp" in form.errors
    assert not form.tampered()
    form.refresh_security_data()
    assert abs(int(form.data["timestamp"]) - time.time()) < 5
    assert form.data["comment"] == "تعليق مفيد على الخبر."


def test_forged_target_is_tampering(article):
    data = form_data(article)
    data["object_pk"] = str(article.pk + 1000)
    form = CommentForm(article, data=data)
    assert not form.is_valid()
    assert form.tampered()


def test_honeypot_filled_is_refused(article):
    form = make_form(article, honeypot="http://spam.example")
    assert not form.is_valid()
    assert form.errors["honeypot"] == ["تعذّر قبول تعليقك."]


@pytest.mark.parametrize("reply_to", ["999999", "-1", "abc"])
def test_forged_parent_is_refused(article, reply_to):
    form = make_form(article, reply_to=reply_to)
    assert not form.is_valid()
    assert "reply_to" in form.errors


def test_parent_on_another_article_or_unpublished_is_refused(article):
    from tests.factories import make_article

    elsewhere = publish_comment(make_article())
    hidden = publish_comment(article, email="h@example.com")
    ReaderComment.objects.filter(pk=hidden.pk).update(is_public=False)
    for parent in (elsewhere, hidden):
        form = make_form(article, reply_to=str(parent.pk))
        assert form.errors["reply_to"] == ["التعليق الذي ترد عليه غير موجود."]


def test_reply_deeper_than_the_limit_is_refused(article):
    root = publish_comment(article)
    child = publish_comment(article, email="b@example.com", parent_id=root.pk)
    grandchild = publish_comment(article, email="c@example.com", parent_id=child.pk)
    assert (child.level, grandchild.level) == (1, 2)
    assert make_form(article, reply_to=str(child.pk)).is_valid()
    form = make_form(article, reply_to=str(grandchild.pk))
    assert form.errors["reply_to"] == ["لا يمكن أن تتعمق الردود أكثر من 2 مستويات."]


def test_blocked_words_from_settings_and_admin(article, settings):
    settings.NEWSROOM_COMMENTS_BLOCKED_WORDS = ["كلمة نابية"]
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="إعلان")
    assert "comment" in make_form(article, comment="هذه كلمة نابية هنا").errors
    # Spelling variants fold: إعلان / اعلان.
    assert "comment" in make_form(article, comment="اعلان مجاني").errors
    assert make_form(article, comment="تعليق نظيف").is_valid()


def test_a_posted_url_is_ignored(article):
    form = make_form(article, url="javascript:alert(1)")
    assert form.is_valid(), form.errors
    assert form.get_comment_create_data()["user_url"] == ""


def test_a_blocked_word_is_found_as_a_word_not_inside_another(article):
    """«ass» refused "This is a classic market report"; an Arabic term is still found after
    the letters that join it («والخنزير») and before its endings («الخنازير» is another word)."""
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="ass")
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="الخنزير")
    assert make_form(article, comment="This is a classic market report, thanks").is_valid()
    assert "comment" in make_form(article, comment="what an ass!").errors
    assert "comment" in make_form(article, comment="قال إنه والخنزير سواء").errors
    assert "comment" in make_form(article, comment="أنت الخنـزير").errors  # tatweel folded
    assert make_form(article, comment="مزارع الخنازير في الريف").is_valid()


@pytest.mark.parametrize(
    ("kind", "bad", "good"),
    [("ip", "not-an-ip", "203.0.113.7"), ("email", "bad", "spam@example.com"),
     ("domain", "not a domain", "@spam.example")],
)  # fmt: skip
def test_a_blocked_address_is_one_of_its_kind(kind, bad, good):
    """«not-an-ip» as an IP address was saved, and blocked nothing."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        BlockedTerm(kind=kind, value=bad).full_clean()
    assert "value" in refused.value.message_dict
    BlockedTerm(kind=kind, value=good).full_clean()

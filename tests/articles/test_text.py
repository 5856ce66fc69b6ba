import pytest

from articles.text import (
    bare_credit,
    bare_headline,
    fold_digits,
    is_blank,
    normalize_arabic,
    strip_invisible,
    unicode_slug,
)


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("الأجانب", "الاجانب"),
        ("الإجانب", "الاجانب"),
        ("الآجانب", "الاجانب"),
        ("الأجانـب", "الاجانب"),  # tatweel
        ("الأَجَانِبُ", "الاجانب"),  # tashkeel
        ("مدرسة", "مدرسه"),  # taa marbuta
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        ("عام ٢٠١٧", "عام 2017"),
    ],
)
def test_normalize_arabic_folds_variants(variant, expected):
    assert normalize_arabic(variant) == expected


def test_strip_invisible_removes_bidi_overrides_and_zero_width():
    assert strip_invisible("أ\u202eب\u200bج\u2066د\x00") == "أبجد"


def test_is_blank_counts_invisible_and_tatweel_as_empty():
    assert is_blank("\u200b\u200f ـــ ")
    assert not is_blank("نص")


def test_fold_digits():
    assert fold_digits("٧٥٢٩") == "7529"


def test_unicode_slug_keeps_arabic_and_is_never_empty():
    assert unicode_slug("الغارديان: انشقاق في الصفوف!") == "الغارديان-انشقاق-في-الصفوف"
    assert unicode_slug("ضيَّقت الخناق") == "ضيقت-الخناق"
    assert unicode_slug("؟!…") == "article"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("تصوير: سامر", "سامر"),
        ("تصوير : سامر", "سامر"),
        ("  تصوير - سامر", "سامر"),
        ("Photo: Samer", "Samer"),
        ("photograph — AFP", "AFP"),
        ("سامر", "سامر"),
        ("تصوير سامر", "تصوير سامر"),  # no colon: may be part of the name, kept
        ("بعدسة سامر", "بعدسة سامر"),
        ("تصوير:", "تصوير:"),  # nothing left: kept as typed
        (None, ""),
    ],
)
def test_a_credit_loses_the_word_the_page_puts_before_it(typed, shown):
    """An editor who typed «تصوير: سامر» got «تصوير: تصوير: سامر» on the page."""
    assert bare_credit(typed) == shown


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("عاجل: حريق في المرفأ", "حريق في المرفأ"),
        ("عاجل | حريق في المرفأ", "حريق في المرفأ"),
        (" عاجل - حريق", "حريق"),
        ("Breaking: Fire at the port", "Fire at the port"),
        ("عاجل قديم", "عاجل قديم"),  # no separator: a word of the headline, kept
        ("عاجلاً: تعديل الموعد", "عاجلاً: تعديل الموعد"),  # another word
        ("حريق: عاجل", "حريق: عاجل"),  # only at the start
        ("عاجل:", "عاجل:"),  # nothing left: kept as typed
    ],
)
def test_a_breaking_headline_loses_the_label_the_places_put_before_it(typed, shown):
    """«عاجل: عاجل: حريق» in the alerts, the Telegram post, the ticker and the digest."""
    assert bare_headline(typed) == shown


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("رائع 👨\u200d👩\u200d👧", "رائع 👨\u200d👩\u200d👧"),  # a family: one sign, joined
        ("می\u200cخواهم", "می\u200cخواهم"),  # a Persian word's break
        ("\u200dمرحبا\u200d", "مرحبا"),  # at either end it joins nothing
        ("كلمة \u200d كلمة", "كلمة  كلمة"),
        ("a\u200d\u200d\u200db", "a\u200db"),
        ("أ\u202e\u200dب", "أ\u200dب"),  # the override goes whatever is beside it
    ],
)
def test_a_joiner_between_two_visible_characters_is_kept(typed, kept):
    """A reader's «👨‍👩‍👧» became three people: every U+200D was stripped."""
    assert strip_invisible(typed) == kept

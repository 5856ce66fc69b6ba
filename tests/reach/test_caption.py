"""The post's text: escaped for parse_mode HTML, Arabic intact, within Telegram's limits."""

from reach.telegram import CAPTION_LIMIT, article_text, telegram_length

LINK = "https://example.sy/a/7"


def test_headline_is_escaped_and_arabic_kept():
    payload = {"headline": "<script>alert(1)</script> دمشق & حلب", "lead": 'قال "الوزير" إنّ…'}
    text = article_text(payload, LINK)
    assert "<script>" not in text
    assert "<b>&lt;script&gt;alert(1)&lt;/script&gt; دمشق &amp; حلب</b>" in text
    assert "قال &quot;الوزير&quot; إنّ…" in text
    assert text.endswith(LINK)


def test_breaking_and_corrected_are_said():
    payload = {"headline": "زلزال", "lead": "", "breaking": True, "corrected": True}
    text = article_text(payload, LINK)
    assert text.startswith("🔴 <b>عاجل</b>\n<b>زلزال</b>")
    assert "<i>صُحّح هذا الخبر</i>" in text


def test_a_breaking_headline_typed_with_its_label_is_not_told_twice():
    payload = {"headline": "عاجل: زلزال", "lead": "", "breaking": True}
    assert article_text(payload, LINK).startswith("🔴 <b>عاجل</b>\n<b>زلزال</b>\n")
    # Not breaking: the post says nothing of its own, the headline stays as typed.
    plain = article_text({**payload, "breaking": False}, LINK)
    assert plain.startswith("<b>عاجل: زلزال</b>")


def test_a_long_lead_is_cut_at_a_word_within_1024():
    words = [f"كلمة{n}" for n in range(400)]
    payload = {"headline": "عنوان الخبر", "lead": " ".join(words)}
    text = article_text(payload, LINK)
    assert telegram_length(text) <= CAPTION_LIMIT
    assert telegram_length(text) > CAPTION_LIMIT - 20  # as much of the lead as fits
    lead = text.split("\n\n")[1]
    assert lead.endswith("…")
    kept = lead.removesuffix("…").split(" ")
    assert kept == words[: len(kept)]  # whole words only, none cut in the middle
    assert text.endswith(LINK)


def test_emoji_count_twice_as_telegram_counts_them():
    payload = {"headline": "عنوان", "lead": "😀 " * 600, "breaking": True}
    text = article_text(payload, LINK)
    assert telegram_length(text) <= CAPTION_LIMIT
    assert len(text) < CAPTION_LIMIT

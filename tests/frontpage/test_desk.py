"""The layout editor in the desk: open the draft, save blocks, two editors on one draft (the
second save from an older version is refused in Arabic, nothing lost), publish, restore, the
preview (staff only, never cached) and the published layouts kept read-only."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from frontpage import services
from frontpage.models import Block, Layout
from tests.articles.desk_helpers import form_data, make_staff
from tests.factories import make_article, make_section
from tests.frontpage.conftest import build

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editors():
    return (
        signed_in(make_staff("المحررون", username="salma")),
        signed_in(make_staff("المحررون", username="omar")),
    )


def admin_url(name, *args):
    with translation.override("ar"):
        return reverse(f"admin:frontpage_{name}", args=args)


def open_draft(client):
    response = client.get(admin_url("layout_draft"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], form_data(page.content.decode(), "layout_form")


def test_editor_builds_a_block_and_publishes(editors):
    salma, _ = editors
    section = make_section("رياضة")
    make_article("هدف في الدقيقة الأخيرة", section=section)
    url, data = open_draft(salma)
    data.update({
        "blocks-TOTAL_FORMS": "1", "blocks-0-position": "1", "blocks-0-kind": "section",
        "blocks-0-title_ar": "ملعب اليوم", "blocks-0-size": "3",
        "blocks-0-section": str(section.pk), "blocks-0-backfill": "on",
        "blocks-0-deduplicate": "on",
    })  # fmt: skip
    response = salma.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Layout.objects.get(status="draft")
    assert draft.version == 2 and draft.edited
    assert "ملعب اليوم" not in Client().get(reverse("articles:home")).content.decode()
    preview = salma.get(reverse("frontpage:preview"))
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert "ملعب اليوم" in preview.content.decode()
    response = salma.post(admin_url("layout_publish", draft.pk), {"seen_version": "2"})
    assert response.status_code == 302
    home = Client().get(reverse("articles:home")).content.decode()
    assert "ملعب اليوم" in home and "هدف في الدقيقة الأخيرة" in home
    live = Layout.objects.get(status="live")
    assert live.version == 2  # the draft's save it was published from (each copy read 1)
    # Pressed again with nothing new: said so, no second identical entry in the history.
    again = salma.post(admin_url("layout_publish", draft.pk), {"seen_version": "2"}, follow=True)
    assert "لم يُنشر شيء جديد" in again.content.decode()
    assert Layout.objects.exclude(status="draft").count() == 1


def test_two_editors_on_one_draft_the_later_save_is_refused(editors):
    salma, omar = editors
    url, salma_form = open_draft(salma)
    _, omar_form = open_draft(omar)
    assert salma.post(url, {**salma_form, "name": "نسخة سلمى"}).status_code == 302
    response = omar.post(url, {**omar_form, "name": "نسخة عمر"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "حفظ محرر آخر" in content
    assert "نسخة عمر" in content  # what he typed is still in the form
    assert Layout.objects.get(status="draft").name == "نسخة سلمى"
    # Publishing from a page opened before her save is refused as well.
    draft = Layout.objects.get(status="draft")
    refused = omar.post(admin_url("layout_publish", draft.pk), {"seen_version": "1"}, follow=True)
    assert not Layout.objects.filter(status="live").exists()
    page = refused.content.decode()
    assert "فلم يُنشر شيء. تعرض الصفحة الآن المسودة كما حُفظت" in page
    assert "كله أدناه" not in page  # nothing was typed on that page to be kept below


def test_block_page_saves_slots_and_checks_the_version(editors):
    salma, omar = editors
    article = make_article("قصة مختارة")
    draft = build(services.current_draft(), {"kind": "picked", "size": 2})
    block = Block.objects.get(layout=draft)
    page = salma.get(admin_url("block_change", block.pk))
    assert page.status_code == 200
    data = form_data(page.content.decode(), "block_form")
    data.update({
        "slots-TOTAL_FORMS": "1", "slots-0-position": "1", "slots-0-article": str(article.pk),
        "slots-0-starts_at_0": "", "slots-0-starts_at_1": "",
        "slots-0-ends_at_0": "", "slots-0-ends_at_1": "",
    })  # fmt: skip
    omar_data = dict(data)
    assert salma.post(admin_url("block_change", block.pk), data).status_code == 302
    assert [slot.article_id for slot in block.slots.all()] == [article.pk]
    response = omar.post(admin_url("block_change", block.pk), {**omar_data, "size": "5"})
    assert response.status_code == 200 and "حفظ محرر آخر" in response.content.decode()
    block.refresh_from_db()
    assert block.size == 2


def test_a_draft_put_in_a_slot_is_saved_and_said(editors):
    """The preview quietly showed another story in its place, with no word of why."""
    salma, _ = editors
    draft_article = make_article("مسودة من الوكالة", published=False)
    published = make_article("خبر منشور")
    layout = build(services.current_draft(), {"kind": "picked", "size": 2})
    block = Block.objects.get(layout=layout)
    data = form_data(salma.get(admin_url("block_change", block.pk)).content.decode(), "block_form")
    data.update({"slots-TOTAL_FORMS": "2"})
    for index, article in enumerate((draft_article, published)):
        data.update({
            f"slots-{index}-position": str(index + 1), f"slots-{index}-article": str(article.pk),
            f"slots-{index}-starts_at_0": "", f"slots-{index}-starts_at_1": "",
            f"slots-{index}-ends_at_0": "", f"slots-{index}-ends_at_1": "",
        })  # fmt: skip
    response = salma.post(admin_url("block_change", block.pk), data, follow=True)
    assert response.status_code == 200
    assert block.slots.count() == 2  # saved: it shows once the article is published
    page = response.content.decode()
    assert "«مسودة من الوكالة» غير منشور: يظهر في مكانه خبر آخر حتى يُنشر." in page
    assert "«خبر منشور» غير منشور" not in page


def test_published_layouts_are_read_only_and_can_be_restored(editors):
    salma, _ = editors
    draft = build(services.current_draft(), {"kind": "picked", "title_ar": "الأولى", "size": 1})
    first = services.publish(draft=draft)
    draft.blocks.update(title_ar="الثانية", title="الثانية")
    services.publish(draft=draft)
    first.refresh_from_db()
    page = salma.get(admin_url("layout_change", first.pk)).content.decode()
    assert 'name="blocks-0-title_ar"' not in page  # shown, not editable
    assert "Seen version" not in page and "النسخة المفتوحة" not in page  # a form's hidden check
    assert "reorder-up" not in page  # and no buttons that would move nothing
    # The publish and restore addresses opened by hand lead to the layout (were a bare 405).
    for name in ("layout_publish", "layout_restore"):
        opened = salma.get(admin_url(name, first.pk))
        assert opened.status_code == 302
        assert opened["Location"] == admin_url("layout_change", first.pk)
    draft_page = salma.get(admin_url("layout_change", draft.pk)).content.decode()
    assert "reorder-up" in draft_page and 'min="1"' in draft_page  # a block shows one story
    assert salma.get(reverse("frontpage:preview_layout", args=[first.pk])).status_code == 200
    response = salma.post(admin_url("layout_restore", first.pk))
    assert response.status_code == 302
    assert list(Layout.objects.get(status="draft").blocks.values_list("title_ar", flat=True)) == [
        "الأولى"
    ]


def test_restoring_over_unpublished_edits_asks_first(editors):
    """A restore replaced the draft's saved, unpublished edits without a word."""
    salma, _ = editors
    draft = build(services.current_draft(), {"kind": "picked", "title_ar": "الأولى", "size": 1})
    first = services.publish(draft=draft)
    draft.blocks.update(title_ar="تعديل لم يُنشر", size=5)
    asked = salma.post(admin_url("layout_restore", first.pk))
    page = asked.content.decode()
    assert asked.status_code == 200 and "في المسودة تعديلات لم تُنشر بعد" in page
    assert 'name="replace_draft" value="yes"' in page
    assert list(draft.blocks.values_list("title_ar", "size")) == [("تعديل لم يُنشر", 5)]
    replaced = salma.post(admin_url("layout_restore", first.pk), {"replace_draft": "yes"})
    assert replaced.status_code == 302
    assert list(draft.blocks.values_list("title_ar", "size")) == [("الأولى", 1)]
    # A draft the same as the live layout has nothing to lose: no question.
    assert salma.post(admin_url("layout_restore", first.pk)).status_code == 302


def test_preview_is_for_staff_who_edit_the_front_page_only(editors):
    services.current_draft()
    writer = signed_in(make_staff("كتّاب الأخبار", username="writer"))
    assert Client().get(reverse("frontpage:preview")).status_code == 404
    assert writer.get(reverse("frontpage:preview")).status_code == 404
    assert editors[0].get(reverse("frontpage:preview") + "?at=غدا").status_code == 200


def test_the_layout_list_and_draft_pages_render_in_arabic(editors):
    salma, _ = editors
    page = salma.get(admin_url("layout_changelist"))
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
    # The builder's rows name a title's language in words, not modeltranslation's «[ar]».
    draft = build(services.current_draft(), {"kind": "picked", "size": 2})
    rows = salma.get(admin_url("layout_change", draft.pk)).content.decode()
    assert "العنوان (العربية)" in rows and "العنوان (الإنجليزية)" in rows
    assert "[ar]" not in rows.lower() and "[en]" not in rows.lower()
    # A published layout's rows are read-only: their headings read «العنوان [AR]».
    published = services.publish(draft=draft)
    shown = salma.get(admin_url("layout_change", published.pk)).content.decode()
    assert 'name="blocks-0-title_ar"' not in shown  # read-only, as before
    assert "العنوان (العربية)" in shown and "[ar]" not in shown.lower()


def test_a_section_page_has_its_own_draft(editors):
    salma, _ = editors
    section = make_section("مجتمع")
    listing = salma.get(admin_url("layout_changelist")).content.decode()
    assert f'<option value="{section.pk}">مجتمع</option>' in listing
    response = salma.get(admin_url("layout_draft") + f"?section={section.pk}")
    draft = Layout.objects.get(status="draft", section=section)
    assert response["Location"].endswith(admin_url("layout_change", draft.pk))
    assert salma.get(admin_url("layout_draft") + "?section=x").status_code == 302
    assert Layout.objects.filter(status="draft", section=None).exists()


def test_a_block_added_without_a_position_goes_last(editors):
    """The "add a block" row comes with position 0 when the page's script did not number it:
    saved, it stays at the end where the editor added it, not above the lead."""
    salma, _ = editors
    section = make_section("رياضة")
    url, data = open_draft(salma)
    rows = [("1", "الأول"), ("2", "الثاني"), ("0", "المضاف أخيرًا")]
    data["blocks-TOTAL_FORMS"] = str(len(rows))
    for index, (position, title) in enumerate(rows):
        data.update({
            f"blocks-{index}-position": position, f"blocks-{index}-kind": "section",
            f"blocks-{index}-title_ar": title, f"blocks-{index}-size": "3",
            f"blocks-{index}-section": str(section.pk), f"blocks-{index}-backfill": "on",
        })  # fmt: skip
    response = salma.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Layout.objects.get(status="draft")
    titles = list(draft.blocks.order_by("position", "id").values_list("title_ar", flat=True))
    assert titles == ["الأول", "الثاني", "المضاف أخيرًا"]


def link_slot_form(client, label, url):
    """A draft's picked block and its form's data with one link slot: ``label``, ``url``."""
    draft = build(services.current_draft(), {"kind": "picked", "size": 2})
    block = Block.objects.get(layout=draft)
    data = form_data(client.get(admin_url("block_change", block.pk)).content.decode(), "block_form")
    data.update({
        "slots-TOTAL_FORMS": "1", "slots-0-position": "1", "slots-0-article": "",
        "slots-0-label_ar": label, "slots-0-url_ar": url,
        "slots-0-starts_at_0": "", "slots-0-starts_at_1": "",
        "slots-0-ends_at_0": "", "slots-0-ends_at_1": "",
    })  # fmt: skip
    return block, data


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/", "/ar/news/ with space", "data:text/html,x"]
)
def test_a_link_slot_with_a_bad_address_is_refused_in_arabic(editors, url):
    """It was a 500: the model named the field "url", the form has "url_ar" and "url_en"."""
    salma, _omar = editors
    block, data = link_slot_form(salma, "رابط", url)
    response = salma.post(admin_url("block_change", block.pk), data)
    page = response.content.decode()
    assert response.status_code == 200 and "اكتب مساراً في هذا الموقع" in page
    assert 'name="slots-0-label_ar"' in page and "رابط" in page  # nothing typed is lost
    assert not block.slots.exists()
    data["slots-0-url_ar"] = "/ar/section/culture/"
    assert salma.post(admin_url("block_change", block.pk), data).status_code == 302
    assert block.slots.get().url_ar == "/ar/section/culture/"


def test_an_article_that_is_none_is_told_once(editors):
    """Id 99999 got «اختر مقالاً، أو اكتب نص الرابط وعنوانه» beside the form's own refusal."""
    salma, _omar = editors
    block, data = link_slot_form(salma, "", "")
    data["slots-0-article"] = "99999"
    response = salma.post(admin_url("block_change", block.pk), data)
    page = response.content.decode()
    assert response.status_code == 200 and not block.slots.exists()
    assert "اختر مقالاً، أو اكتب نص الرابط وعنوانه" not in page
    assert page.count('class="errorlist') >= 1 and "99999" in page
    data["slots-0-article"] = ""  # nothing chosen at all: that message, as before
    page = salma.post(admin_url("block_change", block.pk), data).content.decode()
    assert "اختر مقالاً، أو اكتب نص الرابط وعنوانه" in page


def test_deleting_a_published_layout_says_why_not(editors, django_user_model):
    """«حسابك ليس له صلاحية حذف…» blamed the chief's permissions for a rule of the desk."""
    chief = signed_in(django_user_model.objects.create_superuser("chief", password="x"))
    draft = build(services.current_draft(), {"kind": "picked", "size": 1})
    live = services.publish(draft=draft)
    response = chief.post(
        admin_url("layout_changelist"),
        {"action": "delete_selected", "_selected_action": [live.pk, draft.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "لا تُحذف صفحة أولى منشورة أو سابقة" in page and "صلاحية" not in page
    assert Layout.objects.filter(pk__in=[live.pk, draft.pk]).count() == 2
    # A draft alone goes through Django's confirmation, as before.
    only_draft = {"action": "delete_selected", "_selected_action": [draft.pk]}
    confirm = chief.post(admin_url("layout_changelist"), only_draft)
    assert confirm.status_code == 200 and 'name="post"' in confirm.content.decode()


def test_a_pasted_percent_encoded_address_is_kept_as_read(editors):
    """Chromium copies an Arabic address percent-encoded; the desk showed it so ever after."""
    salma, _omar = editors
    pasted = "/ar/section/%D8%AB%D9%82%D8%A7%D9%81%D8%A9/?q=a%26b"
    block, data = link_slot_form(salma, "ثقافة", pasted)
    assert salma.post(admin_url("block_change", block.pk), data).status_code == 302
    assert block.slots.get().url_ar == "/ar/section/ثقافة/?q=a%26b"  # the & stays encoded

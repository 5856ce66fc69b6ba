import re
from html.parser import HTMLParser

import pytest

from tests.comments.conftest import publish_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r'(?:src|href)="(?:https?:)?//', re.IGNORECASE)


def test_admin_is_arabic_rtl_and_loads_nothing_from_a_cdn(admin_client):
    article = make_article("مقال في لوحة التحرير")
    for path in (
        "/ar/admin/",
        "/ar/admin/articles/article/",
        f"/ar/admin/articles/article/{article.pk}/change/",
        "/ar/admin/articles/article/add/",
    ):
        response = admin_client.get(path)
        content = response.content.decode()
        assert response.status_code == 200, path
        assert 'lang="ar" dir="rtl"' in content, path
        assert not EXTERNAL.search(content), (path, EXTERNAL.findall(content))


class _VisibleText(HTMLParser):
    """Text a person sees (and alt/title/placeholder/aria-label), without scripts or styles."""

    ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")

    def __init__(self):
        super().__init__()
        self.hidden, self.texts = 0, []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        self.texts += [value for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data.strip())


def english_only(content: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(content)
    return [
        text
        for text in parser.texts
        if re.search(r"[A-Za-z]{3,}", text) and not re.search(r"[\u0600-\u06ff]", text)
    ]


def test_every_label_of_the_desk_is_in_arabic(client, django_user_model):
    """App names (django-axes' too), menus, search boxes, history: nothing left in English."""
    editor = django_user_model.objects.create_superuser("محررة", "desk@example.sy", "x" * 16)
    client.force_login(editor)
    article = make_article("مقال في لوحة التحرير")
    held = publish_comment(article, text="تعليق ينتظر", is_public=False, hold_reason="first")
    for path in (
        f"/ar/admin/comments/readercomment/{held.pk}/change/",
        "/ar/admin/auth/user/add/",
        "/ar/admin/",
        "/ar/admin/articles/article/",
        f"/ar/admin/articles/article/{article.pk}/history/",
        "/ar/admin/articles/section/",
        "/ar/admin/comments/readercomment/",
        "/ar/admin/axes/accessattempt/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert english_only(response.content.decode()) == [], path


def test_the_rich_text_editor_dialogs_speak_arabic(admin_client):
    """django-prose-editor asks Django's JavaScript catalogue (loaded by every admin form)."""
    catalogue = admin_client.get("/ar/admin/jsi18n/").content.decode()
    assert (
        '"Edit Link": "\\u062a\\u0639\\u062f\\u064a\\u0644' in catalogue
        or "تعديل الرابط" in catalogue
    )
    assert "Insert Table" in catalogue


def test_saving_a_change_says_changed_not_added():
    """Django's Arabic admin catalogue says "was added" after a change; ours corrects it."""
    from django.utils import translation

    with translation.override("ar"):
        message = translation.gettext("The {name} “{obj}” was changed successfully.")
    assert message.startswith("تم تعديل") and "{name}" in message and "{obj}" in message


def test_related_links_beside_a_select_say_selected_without_gender_slips(admin_client):
    """Django's Arabic catalogue writes «تغيير القسم المختارة» (feminine "selected" for every
    model) in the pencil and eye links beside a select; ours avoids the agreement."""
    content = admin_client.get("/ar/admin/articles/article/add/").content.decode()
    assert 'title="تغيير المختار: ' in content
    assert "المختارة" not in content


def test_the_comment_form_shows_facts_as_on_the_site_and_no_raw_codes(admin_client):
    """Where a held comment is, when it came and why it is held, in words; never its
    content type or site as lists to pick from (comments come from readers, not the desk)."""
    from articles import dates

    article = make_article("مقال عليه تعليق")
    held = publish_comment(article, text="تعليق ينتظر", is_public=False, hold_reason="first")
    content = admin_client.get(f"/ar/admin/comments/readercomment/{held.pk}/change/")
    content = content.content.decode()
    assert 'name="content_type"' not in content and 'name="site"' not in content
    assert f'href="{article.get_absolute_url()}"' in content
    assert "أول تعليق من هذا العنوان" in content and ">first<" not in content
    assert dates.format_date(held.submit_date, with_time=True) in content  # as on the site
    assert admin_client.get("/ar/admin/comments/readercomment/add/").status_code == 403
    axes = admin_client.get("/ar/admin/axes/accessattempt/").content.decode()
    assert "Locked Out" not in axes


def test_permissions_are_named_in_arabic_in_the_group_and_user_forms(admin_client, admin_user):
    """Django stores permission names in English; the desk names them from the action and
    the model's translated name (accounts/access.py)."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="المحررون")
    for path in (
        f"/ar/admin/auth/group/{group.pk}/change/",
        f"/ar/admin/auth/user/{admin_user.pk}/change/",
    ):
        content = admin_client.get(path).content.decode()
        select = re.search(r'<select name="(?:user_)?permissions".*?</select>', content, re.S)
        assert select, path
        options = re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))
        assert len(options) > 100, path
        latin = [option for option in options if re.search(r"[A-Za-z]{3,}", option)]
        assert latin == [], (path, latin[:5])
    content = admin_client.get(f"/ar/admin/auth/group/{group.pk}/change/").content.decode()
    assert "المقالات | مقال | يستطيع نشر المقالات وجدولتها وسحبها" in content
    assert "المقالات | مقال | إضافة مقال" in content
    user_page = admin_client.get(f"/ar/admin/auth/user/{admin_user.pk}/change/").content.decode()
    assert "إعادة تعيين كلمة المرور" in user_page and "Raw passwords" not in user_page


def test_failed_sign_ins_say_how_many_attempts_are_left_in_arabic(admin_client, settings):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 5
    AccessAttempt.objects.create(
        username="nobody", ip_address="198.51.100.7", user_agent="Firefox",
        failures_since_start=1, get_data="", post_data="", http_accept="", path_info="/",
    )  # fmt: skip
    content = admin_client.get("/ar/admin/axes/accessattempt/").content.decode()
    assert "بقيت 4 محاولات" in content
    assert "Attempt Remaining" not in content and "Clean up expired attempts" not in content


def test_an_approved_comment_is_no_longer_shown_as_held(admin_client):
    article = make_article("مقال عليه تعليق")
    publish_comment(article, text="تعليق نُشر بعد المراجعة", hold_reason="first")
    content = admin_client.get("/ar/admin/comments/readercomment/").content.decode()
    assert "تعليق نُشر بعد المراجعة" in content
    assert "أول تعليق من هذا العنوان" not in content
    assert ">القارئ<" in content or "القارئ</a>" in content  # the column, not «اسم المستخدم»

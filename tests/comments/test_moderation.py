"""Moderation rules, the moderators' group and the admin queue."""

import django_comments
import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from articles import dates
from comments.models import BlockedTerm, ReaderComment
from tests.comments.conftest import form_data, publish_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def post(client, article, **fields):
    with translation.override("ar"):
        url = reverse("comments:post")
    ip = fields.pop("ip", "10.1.1.1")
    return client.post(url, form_data(article, **fields), REMOTE_ADDR=ip)


def test_more_than_n_links_is_held(client, article, settings):
    settings.NEWSROOM_COMMENTS_MAX_LINKS = 2
    publish_comment(article, email="salma@example.com")
    post(client, article, comment="انظر https://a.example و www.b.example")
    post(client, article, comment="روابط http://a.example http://b.example https://c.example")
    two, three = ReaderComment.objects.filter(user_email="salma@example.com").order_by("pk")[1:]
    assert two.is_public and two.hold_reason == ""
    assert not three.is_public and three.hold_reason == "links"


def test_first_comment_rule_can_be_turned_off(client, article, settings):
    settings.NEWSROOM_COMMENTS_HOLD_FIRST = False
    post(client, article)
    assert ReaderComment.objects.get().is_public


def test_first_comment_held_then_later_ones_published(client, article, admin_user):
    post(client, article, comment="الأول")
    first = ReaderComment.objects.get()
    assert not first.is_public
    client.force_login(admin_user)
    admin_url = reverse("admin:comments_readercomment_changelist")
    client.post(admin_url, {"action": "approve_comments", "_selected_action": [first.pk]})
    client.logout()
    post(client, article, comment="الثاني")
    assert ReaderComment.objects.get(comment="الثاني").is_public


@pytest.mark.parametrize(
    ("setting", "term", "fields"),
    [
        (["@spam.example"], None, {"email": "bot@spam.example"}),
        (["bot@example.com"], None, {"email": "bot@example.com"}),
        (["10.9.9.9"], None, {"ip": "10.9.9.9"}),
        ([], ("domain", "spam.example"), {"email": "x@SPAM.example"}),
        ([], ("email", "bot@example.com"), {"email": "Bot@Example.com"}),
        ([], ("ip", "10.9.9.9"), {"ip": "10.9.9.9"}),
    ],
)
def test_blocked_addresses_go_to_spam_quietly(client, article, settings, setting, term, fields):
    settings.NEWSROOM_COMMENTS_BLOCKED_ADDRESSES = setting
    settings.NEWSROOM_COMMENTS_HOLD_FIRST = False
    if term:
        BlockedTerm.objects.create(kind=term[0], value=term[1])
    response = post(client, article, **fields)
    comment = ReaderComment.objects.get()
    assert comment.is_spam and not comment.is_public and comment.hold_reason == "blocked"
    # The sender is told what any held comment is told.
    assert "بانتظار المراجعة" in client.get(response["Location"]).content.decode()


def test_moderators_are_told_of_waiting_comments(
    client, article, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MANAGERS = [("", "desk@example.com")]
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article)
    assert [m.to for m in mailoutbox] == [["desk@example.com"]]
    assert "تعليق مفيد على الخبر." in mailoutbox[0].body
    assert "/ar/admin/comments/readercomment/?state=waiting" in mailoutbox[0].body


def test_the_comment_moderators_group_has_the_comment_permissions():
    group = Group.objects.get(name="مشرفو التعليقات")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"can_moderate", "change_readercomment", "view_readercomment"} <= codenames
    assert "delete_readercomment" not in codenames


@pytest.fixture
def moderator(db):
    user = User.objects.create_user("moderator", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="مشرفو التعليقات"))
    return user


@pytest.fixture
def queue(article):
    other = make_article("خبر آخر")
    published = publish_comment(article, email="p@example.com", text="منشور")
    waiting = [
        publish_comment(article, email=f"w{n}@example.com", text=f"ينتظر {n}", is_public=False)
        for n in range(3)
    ]
    elsewhere = publish_comment(other, email="o@example.com", text="في خبر آخر", is_public=False)
    return {"published": published, "waiting": waiting, "elsewhere": elsewhere, "other": other}


def changelist(client, **params):
    with translation.override("ar"):
        url = reverse("admin:comments_readercomment_changelist")
    return client.get(url, params)


def test_moderator_sees_the_queue_with_its_count(client, moderator, queue):
    client.force_login(moderator)
    response = changelist(client)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in content
    assert "4 تعليقات بانتظار المراجعة" in content
    assert "بانتظار المراجعة (4)" in content  # the state filter counts too
    for action in ("approve_comments", "remove_comments", "mark_spam"):
        assert f'value="{action}"' in content
    assert 'value="delete_selected"' not in content  # one way to take a comment down
    month = dates.format_date(queue["published"].submit_date, with_time=True)
    assert month in content  # dates as the reading site writes them


def test_queue_filters_by_state_article_and_date(client, moderator, queue, article):
    client.force_login(moderator)
    waiting = changelist(client, state="waiting").context["cl"].result_list
    assert {c.pk for c in waiting} == {c.pk for c in queue["waiting"]} | {queue["elsewhere"].pk}
    by_article = changelist(client, article=str(queue["other"].pk)).context["cl"].result_list
    assert [c.pk for c in by_article] == [queue["elsewhere"].pk]
    today = queue["published"].submit_date
    dated = (
        changelist(client, submit_date__year=today.year, submit_date__month=today.month)
        .context["cl"]
        .result_list
    )
    assert len(dated) == 5
    assert changelist(client, state="spam").context["cl"].result_count == 0


def test_bulk_approve_remove_and_spam(client, moderator, queue):
    client.force_login(moderator)
    with translation.override("ar"):
        url = reverse("admin:comments_readercomment_changelist")
    first, second, third = queue["waiting"]
    client.post(url, {"action": "approve_comments", "_selected_action": [first.pk, second.pk]})
    client.post(url, {"action": "remove_comments", "_selected_action": [third.pk]})
    client.post(url, {"action": "mark_spam", "_selected_action": [queue["elsewhere"].pk]})
    states = {c.pk: c.state for c in ReaderComment.objects.all()}
    assert states[first.pk] == states[second.pk] == "published"
    assert states[third.pk] == "removed"
    assert states[queue["elsewhere"].pk] == "spam"
    flags = django_comments.models.CommentFlag.objects.filter(user=moderator)
    assert flags.count() == 4  # who approved or removed what is kept


def test_staff_without_the_role_cannot_moderate(client, queue):
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert changelist(client).status_code == 403


def test_other_code_creates_comments_through_get_model(article):
    """The archive import (issue 7) creates comments with django_comments.get_model()."""
    Model = django_comments.get_model()
    comment = Model.objects.create(
        content_object=article, user_name="قارئ", comment="تعليق مستورد", is_public=True
    )
    assert comment.thread_id == comment.pk and comment.content_hash and comment.site_id == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Model.objects.create(content_object=article, user_name="قارئ", comment="تعليق مستورد")
    # An importer keeping look-alike legacy comments sets its own fingerprint.
    Model.objects.create(
        content_object=article, user_name="قارئ", comment="تعليق مستورد", content_hash="legacy:7"
    )
    assert Model.objects.count() == 2


def test_the_comment_form_in_the_desk_needs_a_name_and_offers_no_hard_delete(
    client, queue, admin_user
):
    """Even a superuser: a comment keeps who wrote it, and is removed reversibly only."""
    from tests.articles.desk_helpers import form_data

    client.force_login(admin_user)
    comment = queue["published"]
    with translation.override("ar"):
        path = reverse("admin:comments_readercomment_change", args=[comment.pk])
        delete = reverse("admin:comments_readercomment_delete", args=[comment.pk])
    page = client.get(path).content.decode()
    assert delete not in page and 'class="deletelink"' not in page
    assert client.post(delete, {"post": "yes"}).status_code == 403
    data = form_data(page, "readercomment_form")
    data["user_name"] = "   "
    response = client.post(path, data)
    assert response.status_code == 200 and "هذا الحقل مطلوب" in response.content.decode()
    comment.refresh_from_db()
    assert comment.user_name and type(comment).objects.filter(pk=comment.pk).exists()


def test_the_history_names_what_a_moderator_changed_in_the_desks_language(
    client, queue, admin_user
):
    """Django stored «Is public» and showed «تم تغيير Is public» on the Arabic history page."""
    from tests.articles.desk_helpers import form_data

    client.force_login(admin_user)
    comment = queue["published"]
    with translation.override("ar"):
        path = reverse("admin:comments_readercomment_change", args=[comment.pk])
        history = reverse("admin:comments_readercomment_history", args=[comment.pk])
    data = form_data(client.get(path).content.decode(), "readercomment_form")
    data.pop("is_public", None)  # unticked: no longer shown
    data["user_name"] = "سلمى"
    assert client.post(path, data).status_code == 302
    page = client.get(history).content.decode()
    assert "تم تغيير اسم القارئ و منشور." in page
    assert "Is public" not in page and "User" + "'s name" not in page
    with translation.override("en"):
        english = client.get(history.replace("/ar/", "/en/", 1)).content.decode()
    assert "Is public" in english

"""Helpers for the editorial-desk tests: users in each role, and posting admin forms as a
browser would (every field the page rendered, with some values changed)."""

from html.parser import HTMLParser

from django.contrib.auth.models import Group, User
from django.urls import reverse

ROLES = ("كتّاب الأخبار", "المحررون", "مشرفو التعليقات")


def make_staff(role, username=None):
    user = User.objects.create_user(
        username=username or role.lower().replace(" ", "_"), password="pw-desk-12345"
    )
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._select = None
        self._multiple = False
        self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file", "image"):
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name and "multiple" in attrs:
            # A browser sends only the selected options of a multiple select (none: nothing).
            self._select, self._multiple = name, True
            self.data[name] = []
        elif tag == "select" and name:
            self._select, self._multiple = name, False
            self._first_option = None
            self.data[name] = ""
        elif tag == "option" and self._select and self._multiple:
            if "selected" in attrs:
                self.data[self._select].append(attrs.get("value", ""))
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.data[self._select] = value
            if "selected" in attrs:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            current = self.data[self._textarea]
            self.data[self._textarea] = current + (data if current else data.lstrip("\n"))


def form_data(html, form_id="article_form"):
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.data


def article_admin_url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args or None)


def post_article(client, data_changes, article=None):
    """GET the add or change form, change some fields, POST it back; return the response."""
    url = article_admin_url("change", article.pk) if article else article_admin_url("add")
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page.content.decode())
    data.update(data_changes)
    return client.post(url, data)


def open_form(client, article):
    """The article's change form as ``client`` gets it: its fields' values, ready to post."""
    page = client.get(article_admin_url("change", article.pk))
    assert page.status_code == 200
    return form_data(page.content.decode())


def save(client, article, data, **changes):
    """Post the change form back, with ``changes`` over ``data``."""
    return client.post(article_admin_url("change", article.pk), {**data, **changes})

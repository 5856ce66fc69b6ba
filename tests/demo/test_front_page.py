"""The demo newsroom ships a curated front page, published; load_demo never overwrites a
layout an editor has saved."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from frontpage import services
from frontpage.models import Layout

pytestmark = pytest.mark.django_db


def test_demo_front_page_is_published_and_shown():
    call_command("load_demo", verbosity=0)
    live = Layout.objects.get(status="live")
    kinds = list(live.blocks.values_list("kind", flat=True))
    assert kinds[:4] == ["lead", "live", "opinion", "picked"] and "links" in kinds
    assert not live.edited
    home = Client().get(reverse("articles:home")).content.decode()
    assert "عمود رانيا الحداد" in home and "التراث الدمشقي" in home and "عن الماسة" in home
    english = Client().get("/en/").content.decode()
    assert 'href="/en/page/' in english


def test_load_demo_keeps_an_edited_front_page():
    call_command("load_demo", verbosity=0)
    draft = services.current_draft()
    draft.blocks.exclude(kind="lead").delete()
    draft.mark_saved()  # what the desk does on every save
    services.publish(draft=draft)
    call_command("load_demo", "--force", verbosity=0)
    live = Layout.objects.get(status="live")
    assert list(live.blocks.values_list("kind", flat=True)) == ["lead"]
    assert Layout.objects.count() == 3  # the draft, the demo's in history, the editor's live


def test_the_sites_local_address_follows_the_port_served(settings, monkeypatch):
    """`make run PORT=8021` after a first `make run`: «View on site» led to :8000."""
    from django.contrib.sites.models import Site

    from demo.management.commands.load_demo import name_demo_site

    Site.objects.filter(pk=settings.SITE_ID).update(domain="127.0.0.1:8000")
    monkeypatch.setenv("NEWSROOM_SITE_DOMAIN", "127.0.0.1:8021")
    name_demo_site()
    assert Site.objects.get(pk=settings.SITE_ID).domain == "127.0.0.1:8021"
    Site.objects.filter(pk=settings.SITE_ID).update(domain="news.example.sy")
    name_demo_site()  # a real domain an editor set is never touched
    assert Site.objects.get(pk=settings.SITE_ID).domain == "news.example.sy"

"""Load the demo newsroom (sections, authors, ~30 articles with generated images, one of them
a live page, and a curated front page), once.

A second run does nothing when the newsroom already has content, so what editors changed
stays. ``--force`` adds the demo content even then (existing slugs are left alone).
"""

import io
import os
import random
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.models import Article, Author, Byline, Section, StoryFile, StoryFileEntry, Topic
from demo import content as demo_content
from pages.models import Page


class Command(BaseCommand):
    help = "Load the demo newsroom once (sections, authors, articles, images)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even if content exists.")

    def handle(self, *args, force=False, verbosity=1, **options):
        name_demo_site()
        if Article.objects.exists() and not force:
            if verbosity:
                self.stdout.write("Demo newsroom already loaded; keeping the existing content.")
            return
        with transaction.atomic():
            created = load_demo_newsroom()
        # The search's vocabulary («did you mean», the «وال» forms searched) at once, not at
        # the job runner's first pass.
        call_command("refresh_search_terms", verbosity=0)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Demo newsroom loaded: {created} articles."))


def name_demo_site() -> None:
    """Give django.contrib.sites' placeholder «example.com» the local address and our name;
    a local address of an earlier run (another port: `make run PORT=8021`) follows the one
    served now, or the desk's «View on site» led to a port nobody answers."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    local = Q(domain="example.com") | Q(domain__regex=r"^(127\.0\.0\.1|localhost):[0-9]+$")
    Site.objects.filter(Q(pk=settings.SITE_ID) & local).update(
        domain=os.environ.get("NEWSROOM_SITE_DOMAIN", "127.0.0.1:8000"), name=settings.SITE_NAME
    )


def load_demo_newsroom() -> int:
    sections = {}
    for order, data in enumerate(demo_content.SECTIONS):
        sections[data["key"]], _ = Section.objects.get_or_create(
            name_ar=data["name"],
            defaults={
                "name_en": data.get("name_en", ""),
                "description_ar": data.get("description", ""),
                "description_en": data.get("description_en", ""),
                "order": order,
            },
        )
    authors = {}
    for data in demo_content.AUTHORS:
        authors[data["key"]], _ = Author.objects.get_or_create(
            name_ar=data["name"],
            defaults={
                "name_en": data.get("name_en", ""),
                "bio_ar": data.get("bio", ""),
                "bio_en": data.get("bio_en", ""),
                "kind": Author.Kind.TEAM if data.get("is_team") else Author.Kind.PERSON,
            },
        )
    for order, data in enumerate(demo_content.STATIC_PAGES):
        Page.objects.get_or_create(
            title_ar=data["title"],
            defaults={
                "title_en": data["title_en"],
                "body_ar": paragraphs_html(data["body"]),
                "body_en": paragraphs_html(data["body_en"]),
                "order": order,
            },
        )
    now = timezone.now()
    created = 0
    for index, data in enumerate(demo_content.ARTICLES):
        if Article.objects.filter(title_ar=data["title"]).exists():
            continue
        if "published" in data:
            published_at = datetime.fromisoformat(data["published"])
        else:
            published_at = now - timedelta(days=data.get("days_ago", index))
        article = Article(
            title_ar=data["title"],
            title_en=data.get("title_en", ""),
            lead_ar=data.get("lead", ""),
            lead_en=data.get("lead_en", ""),
            body_ar=paragraphs_html(data["body"]),
            body_en=paragraphs_html(data.get("body_en", [])),
            section=sections[data["section"]],
            source=data.get("source", ""),
            status=Article.Status.PUBLISHED,
            published_at=published_at,
            view_count=data.get("views", 0),
            image_caption_ar=data.get("caption", ""),
            image_caption_en=data.get("caption_en", ""),
            image_credit=data.get("credit", ""),
            image_alt_ar=data.get("caption", ""),
        )
        if data.get("image"):
            article.image.save(f"demo-{index + 1}.jpg", demo_image(seed=index), save=False)
        article.save()
        Byline.objects.bulk_create(
            Byline(article=article, author=authors[key], position=position)
            for position, key in enumerate(data["authors"])
        )
        names = demo_content.ARTICLE_TOPICS.get(index, [])
        topics = [Topic.for_name(name) for name in names]
        for topic in topics:
            english = demo_content.TOPIC_NAMES_EN.get(topic.name_ar)
            if english and not topic.name_en:  # an editor's own English name is kept
                topic.name_en = english
                topic.save(update_fields=["name_en"])
        article.topics.set(topics)
        created += 1
    for data in demo_content.STORY_FILES:
        story_file, made = StoryFile.objects.get_or_create(
            title_ar=data["title"],
            defaults={
                "title_en": data["title_en"],
                "description_ar": data["description"],
                "description_en": data.get("description_en", ""),
            },
        )
        if made:
            titles = [demo_content.ARTICLES[index]["title"] for index in data["articles"]]
            by_title = {a.title_ar: a for a in Article.objects.filter(title_ar__in=titles)}
            StoryFileEntry.objects.bulk_create(
                StoryFileEntry(story_file=story_file, article=by_title[title], position=place)
                for place, title in enumerate(titles, start=1)
                if title in by_title
            )
    load_live_coverage(authors)
    load_front_page(sections, authors)
    return created


def load_front_page(sections, authors) -> None:
    """The curated front page, published (once): never over a layout an editor has saved,
    and not again while the demo's own is live."""
    from frontpage import services
    from frontpage.models import Block, Layout, Slot

    home_layouts = Layout.objects.filter(section=None)
    if home_layouts.filter(edited=True).exists() or home_layouts.filter(status="live").exists():
        return
    data = demo_content.FRONT_PAGE
    draft = services.current_draft()
    draft.blocks.all().delete()
    Layout.objects.filter(pk=draft.pk).update(name=data["name"])
    files = {f.title_ar: f for f in StoryFile.objects.all()}
    for position, spec in enumerate(data["blocks"], start=1):
        block = Block.objects.create(
            layout=draft,
            position=position,
            kind=spec["kind"],
            title_ar=spec.get("title", ""),
            title_en=spec.get("title_en", ""),
            size=spec["size"],
            section=sections.get(spec.get("section")),
            author=authors.get(spec.get("author")),
            story_file=files.get(spec.get("story_file")),
        )
        if spec.get("pick_latest_with_image"):
            lead = Article.objects.published().exclude(image="").order_by("-published_at").first()
            if lead is not None:
                Slot.objects.create(block=block, position=1, article=lead)
        if spec.get("static_pages"):
            for place, page in enumerate(Page.objects.all()[: spec["size"]], start=1):
                Slot.objects.create(
                    block=block,
                    position=place,
                    label_ar=page.title_ar,
                    label_en=page.title_en or "",
                    url_ar=page_url(page, "ar"),
                    url_en=page_url(page, "en"),
                )
    services.publish(draft=Layout.objects.get(pk=draft.pk))


def page_url(page, language) -> str:
    """The page's address as the desk shows an address an editor typed: read, not
    percent-encoded («/ar/page/من-نحن/»)."""
    from django.utils import translation
    from django.utils.encoding import uri_to_iri

    with translation.override(language):
        return uri_to_iri(page.get_absolute_url())


def load_live_coverage(authors) -> None:
    """The storm article becomes a live page with a few entries (once)."""
    from live import services
    from live.models import LiveCoverage, LiveEntry

    data = demo_content.LIVE_COVERAGE
    article = Article.objects.filter(title_ar=data["article"]).first()
    if article is None or LiveCoverage.objects.filter(article=article).exists():
        return
    now = timezone.now()
    coverage = services.start_coverage(article=article)
    first = max(entry["minutes_ago"] for entry in data["entries"])
    LiveCoverage.objects.filter(pk=coverage.pk).update(
        started_at=now - timedelta(minutes=first + 10)
    )
    for item in data["entries"]:
        entry = services.post_entry(
            coverage=coverage,
            body=item["text"],
            author=authors.get(item.get("author")),
            is_breaking=item.get("breaking", False),
            is_pinned=item.get("pinned", False),
        )
        posted_at = now - timedelta(minutes=item["minutes_ago"])
        edited_at = posted_at + timedelta(minutes=12) if item.get("edited") else None
        LiveEntry.objects.filter(pk=entry.pk).update(posted_at=posted_at, edited_at=edited_at)


def paragraphs_html(paragraphs) -> str:
    from django.utils.html import escape

    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def demo_image(seed: int, size=(1280, 720)) -> ContentFile:
    """An abstract generated picture: a gradient with a few shapes, as a JPEG."""
    rng = random.Random(seed)
    start = tuple(rng.randrange(40, 200) for _ in range(3))
    end = tuple(rng.randrange(40, 200) for _ in range(3))
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), gradient)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(60, 260)
        colour = tuple(rng.randrange(0, 256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=rng.randrange(4, 18))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue())

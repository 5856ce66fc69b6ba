"""What a layout shows now: hand-picked placements in their slots, then each block's rule.

The rules, in a fixed number of queries whatever the number of blocks: the blocks, their
slots, which hand-picked articles readers may see, one query of candidates per kind of rule
present (latest, sections, topics, files, authors, live coverage), then the chosen articles
with their bylines.

De-duplication: a hand-picked placement is shown where the editor put it. A block's backfill
skips the articles already in the block and, unless the block opts out, the articles
hand-picked anywhere in the layout (they are shown where they were placed) and every article
shown by the blocks above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.utils import timezone

from articles.cache import card_tags
from articles.models import Article, Byline, StoryFileEntry
from caching import tags as tag
from frontpage import cache
from frontpage.models import Block, Slot
from live.cache import coverage_states

MAX_CANDIDATES = 200  # per rule and partition: far more than a page ever shows


@dataclass
class ShownBlock:
    block: Block
    articles: list = field(default_factory=list)  # Article, in the order shown
    links: list = field(default_factory=list)  # (label, url) of a links block

    @property
    def kind(self):
        return self.block.kind


def _rule(block: Block, scope: int | None = None) -> tuple[str, int | None] | None:
    """(rule, partition key) a block backfills from; None for none. ``scope``: the section
    whose page the layout is for (its lead and lists take that section's latest)."""
    kind = block.kind
    if kind in ("lead", "picked"):
        return ("section", scope) if scope else ("latest", None)
    if kind == "section" or (kind == "opinion" and block.section_id):
        return ("section", block.section_id)
    if kind == "opinion":
        return ("author", block.author_id)
    if kind == "topic":
        return ("topic", block.topic_id)
    if kind == "story_file":
        return ("story_file", block.story_file_id)
    if kind == "live":
        return ("live", None)
    return None


def _ranked(queryset, key: str, article: str, order, n: int) -> list[tuple[int, int]]:
    """(partition key, article id) of the ``n`` first rows per partition, in order."""
    rows = (
        queryset.annotate(_rank=Window(RowNumber(), partition_by=[F(key)], order_by=order))
        .filter(_rank__lte=n)
        .order_by(key, "_rank")
        .values_list(key, article)
    )
    return list(rows)


def _candidates(needs: dict[tuple[str, int | None], int]) -> dict[tuple, list[int]]:
    """Article ids in each rule's order, at most ``needs[rule]`` of them: one query per rule."""
    visible = Article.objects.published().in_edition()
    found: dict[tuple, list[int]] = {rule: [] for rule in needs}

    def most(kind):
        return min(MAX_CANDIDATES, max(n for (k, _), n in needs.items() if k == kind))

    def keys(kind):
        return [key for (k, key) in needs if k == kind]

    if ("latest", None) in needs:
        found["latest", None] = list(visible.values_list("pk", flat=True)[: most("latest")])
    if keys("section"):
        rows = (
            Article.objects.top_per_section(most("section"), keys("section"))
            .in_edition()
            .order_by("section_id", "-published_at", "-id")
            .values_list("section_id", "pk")
        )
        for key, pk in rows:
            found["section", key].append(pk)
    if keys("topic"):
        through = Article.topics.through.objects.filter(
            topic_id__in=keys("topic"), article__in=visible.values("pk")
        )
        order = [F("article__published_at").desc(), F("article_id").desc()]
        for key, pk in _ranked(through, "topic_id", "article_id", order, most("topic")):
            found["topic", key].append(pk)
    if keys("story_file"):
        entries = StoryFileEntry.objects.filter(
            story_file_id__in=keys("story_file"), article__in=visible.values("pk")
        )
        order = [F("position").asc(), F("article__published_at").asc(), F("article_id").asc()]
        for key, pk in _ranked(entries, "story_file_id", "article_id", order, most("story_file")):
            found["story_file", key].append(pk)
    if keys("author"):
        bylines = Byline.objects.filter(
            author_id__in=keys("author"), article__in=visible.values("pk")
        )
        order = [F("article__published_at").desc(), F("article_id").desc()]
        for key, pk in _ranked(bylines, "author_id", "article_id", order, most("author")):
            found["author", key].append(pk)
    if ("live", None) in needs:
        live_ids = [pk for pk, state in coverage_states().items() if state == "live"]
        if live_ids:
            found["live", None] = list(
                visible.filter(pk__in=live_ids).values_list("pk", flat=True)[: most("live")]
            )
    return found


def assemble(layout_id: int, now=None) -> list[ShownBlock]:
    """The blocks of layout ``layout_id`` as readers see them at ``now`` (default: now)."""
    now = now or timezone.now()
    blocks = list(
        Block.objects.filter(layout_id=layout_id).select_related(
            "layout", "section", "topic", "story_file", "author"
        )
    )
    scope = blocks[0].layout.section_id if blocks else None
    slots_by_block: dict[int, list[Slot]] = {}
    for slot in Slot.objects.filter(block__layout_id=layout_id).order_by("position", "id"):
        if slot.is_shown_at(now):
            slots_by_block.setdefault(slot.block_id, []).append(slot)
    picked_ids = {
        slot.article_id for slots in slots_by_block.values() for slot in slots if slot.article_id
    }
    if picked_ids:  # hand-picked but unpublished, scheduled for later, or not in this edition
        picked_ids = set(
            Article.objects.published()
            .in_edition()
            .filter(pk__in=picked_ids)
            .values_list("pk", flat=True)
        )
    needs: dict[tuple, int] = {}
    above = 0
    for block in blocks:
        rule = _rule(block, scope)
        if rule and block.backfill:
            need = block.size + len(picked_ids) + (above if block.deduplicate else 0)
            needs[rule] = max(needs.get(rule, 0), need)
        above += block.size
    candidates = _candidates(needs) if needs else {}

    shown_ids: set[int] = set()
    plans: list[tuple[Block, list[int | None], list]] = []
    for block in blocks:
        places: list[int | None] = [None] * block.size
        links = []
        for slot in slots_by_block.get(block.pk, ()):
            if block.kind == Block.Kind.LINKS:
                if slot.url and slot.label and len(links) < block.size:
                    links.append((slot.label, slot.url))
                continue
            if slot.article_id not in picked_ids or slot.article_id in places:
                continue
            index = _free_place(places, slot.position)
            if index is not None:
                places[index] = slot.article_id
        rule = _rule(block, scope)
        if rule and block.backfill and None in places:
            skip = set(places) | ((picked_ids | shown_ids) if block.deduplicate else set())
            fill = (pk for pk in candidates.get(rule, ()) if pk not in skip)
            places = [pk if pk is not None else next(fill, None) for pk in places]
        chosen = [pk for pk in places if pk is not None]
        shown_ids.update(chosen)
        plans.append((block, chosen, links))

    articles = (
        {
            article.pk: article
            for article in Article.objects.filter(pk__in=shown_ids).for_listing().without_body()
        }
        if shown_ids
        else {}
    )
    return [
        ShownBlock(block, [articles[pk] for pk in chosen if pk in articles], links)
        for block, chosen, links in plans
    ]


def _free_place(places: list, position: int) -> int | None:
    """The slot's own place (1 comes first), else the next free one, else the first free."""
    start = min(max(position, 1), len(places)) - 1
    for index in (*range(start, len(places)), *range(start)):
        if places[index] is None:
            return index
    return None


def layout_tags(shown: list[ShownBlock], section_id: int | None = None) -> set[str]:
    """What a page showing these blocks depends on (articles/cache.py's tags, and ours)."""
    tags = {cache.layout_tag(section_id)}
    # Which articles are the latest: any live article entering or leaving a list bumps "home".
    tags.add(tag.section_list(section_id) if section_id else tag.home())
    for item in shown:
        block = item.block
        tags |= card_tags(item.articles)
        if block.section_id:
            tags |= {tag.section(block.section_id), tag.section_list(block.section_id)}
        if block.author_id:
            tags |= {tag.author(block.author_id), tag.author_list(block.author_id)}
        if block.topic_id:
            tags |= {tag.topic(block.topic_id), tag.topic_list(block.topic_id)}
        if block.story_file_id:
            tags |= {tag.story_file(block.story_file_id), tag.story_file_list(block.story_file_id)}
        if block.kind == Block.Kind.LIVE:
            tags.add(cache.LIVE_COVERAGE_TAG)
    return tags


def render_layout(
    request, layout_id: int, *, preview: bool = False, now=None, section_id=None
) -> tuple[str, set[str]]:
    """The layout's HTML at ``now`` (the home page's content, or the top of a section's page)
    and the tags it depends on."""
    shown = assemble(layout_id, now=now)
    context = {"blocks": shown, "preview": preview, "section_front": bool(section_id)}
    template = "frontpage/section_front.html" if section_id else "frontpage/home_main.html"
    html = render_to_string(template, context, request=request)
    return html, layout_tags(shown, section_id)


class HomeLayout:
    """What the home page (``articles.views.HomeView.front_page_layout``) and the section
    pages (``SectionView.front_page_layout``, with ``section_id``) ask of us."""

    def live_key(self, section_id: int | None = None) -> str | None:
        """The live layout's fragment key (it changes when a placement starts or ends);
        None when no layout is live."""
        state = cache.live_state(section_id)
        if state["layout"] is None:
            return None
        return f"frontpage:{state['layout']}:{cache.passed_changes(state)}"

    def expires_at(self, section_id: int | None = None) -> float:
        return cache.next_change(cache.live_state(section_id))

    def tags(self, section_id: int | None = None) -> set[str]:
        return {cache.layout_tag(section_id)}

    def render(self, view, section_id: int | None = None) -> tuple[str, set[str]]:
        layout_id = cache.live_state(section_id)["layout"]
        return render_layout(view.request, layout_id, section_id=section_id)

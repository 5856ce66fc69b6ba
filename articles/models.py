"""The newsroom's content: sections, authors (persons and teams) and articles."""

from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Func, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.compiled import STAND_IN, compiled
from articles.html import sanitize_html, validate_rich_text_links
from articles.text import (
    bare_headline,
    check_plain_texts,
    normalize_arabic,
    unicode_slug,
    validate_plain_text,
    validate_readable_slug,
)
from newsroom.links import kept_reverse
from uploads.crops import make_crops
from uploads.images import make_renditions, validate_image_file

# Statuses whose articles readers see once their publication time has come.
LIVE_STATUSES = ("scheduled", "published")
# Sent by Article.clean() when an article is about to go live (published or scheduled) from a
# status that was not: receivers return a reason to refuse (a str) or None. Other apps (the
# wires' withdrawals) hold publishing this way without articles importing them.
pre_publish = Signal()
# Sent by Article.clean() with each body's language and text: receivers return a problem to
# refuse the save with (a str, shown on that body) or None. Other apps (embeds: a gallery
# code naming no gallery) check what they put in bodies this way.
check_body = Signal()
# Sent by the desk when an editor opens an article's form: receivers return a notice for the
# editor (a str) or None. Other apps (the wires: the agency updated or withdrew the story this
# draft was taken from) speak on the form this way without the desk importing them.
article_notices = Signal()


def address_slug_field(max_length: int = 100):
    """The slug of an object with its own page: unique, Arabic letters allowed, made from
    its name when left empty, and readable (not tatweel or hyphens alone)."""
    return models.SlugField(
        _("slug"),
        max_length=max_length,
        unique=True,
        allow_unicode=True,
        blank=True,
        validators=[validate_readable_slug],
    )


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = address_slug_field()
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)
    in_navigation = models.BooleanField(
        _("in the menu"),
        default=True,
        help_text=_(
            "Listed in the site's sections menu and given a block on the home page. Sections "
            "made by an archive import start outside until an editor places them."
        ),
    )

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Section, self.name, self.pk, fallback="section")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:section", self.slug)


class Author(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        TEAM = "team", _("Team")
        AGENCY = "agency", _("News agency")

    name = models.CharField(_("name"), max_length=150)
    slug = address_slug_field(max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PERSON)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="authors/", blank=True, validators=[validate_image_file]
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, self.pk, fallback="author")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:author", self.slug)

    @property
    def is_team(self):
        return self.kind == self.Kind.TEAM


def topic_key(name: str) -> str:
    """What makes two topic names the same topic: the search's Arabic folding (hamza and alef
    forms, taa marbuta, alef maqsura, tashkeel, tatweel), case and spacing ignored."""
    return " ".join(normalize_arabic(name or "").lower().split())


class Topic(models.Model):
    """A tag: what an article is about («الانتخابات», «سعر الصرف»). An article has any number."""

    name = models.CharField(_("name"), max_length=100)
    name_key = models.CharField(
        _("normalised name"), max_length=100, unique=True, editable=False, default=""
    )
    slug = address_slug_field()
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(
        _("image"), upload_to="topics/", blank=True, validators=[validate_image_file]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = topic_key(getattr(self, "name_ar", None) or self.name)
        if not self.slug:
            self.slug = unique_slug(Topic, self.name, self.pk, fallback="topic")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:topic", self.slug)

    def clean(self):
        super().clean()
        key = topic_key(getattr(self, "name_ar", None) or self.name)
        if not key:
            raise ValidationError({"name_ar": _("A topic needs a name.")})
        same = Topic.objects.filter(name_key=key).exclude(pk=self.pk).first()
        if same is not None:
            raise ValidationError(
                {
                    "name_ar": _(
                        "The topic “%(name)s” already exists: the same name, spelled with "
                        "other hamzas, vowel marks or letters."
                    )
                    % {"name": same.name}
                }
            )

    @classmethod
    def for_name(cls, name: str) -> "Topic":
        """The topic called ``name`` (in any spelling variant), made when there is none."""
        key = topic_key(name)
        topic = cls.objects.filter(name_key=key).first()
        if topic is None:
            name = " ".join(name.split())
            topic, _created = cls.objects.get_or_create(
                name_key=key, defaults={"name": name, "name_ar": name}
            )
        return topic


class TopicRedirect(models.Model):
    """The address of a topic merged into another: answers 301 to the kept topic."""

    slug = models.SlugField(_("old slug"), max_length=100, unique=True, allow_unicode=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="redirects"
    )

    class Meta:
        verbose_name = _("old topic address")
        verbose_name_plural = _("old topic addresses")

    def __str__(self):
        return f"{self.slug} → {self.topic.slug}"

    @classmethod
    def kept_topic(cls, slug: str) -> "Topic | None":
        """The topic a merged topic's old ``slug`` now leads to (its page and its feeds
        answer 301 there), or None."""
        moved = cls.objects.select_related("topic").filter(slug=slug).first()
        return moved.topic if moved is not None else None


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Articles a reader may see now (or at ``now``): published or scheduled, and their
        time has come.

        A scheduled article needs no background job: it appears the moment its time passes.
        """
        return self.filter(status__in=LIVE_STATUSES, published_at__lte=now or timezone.now())

    def search_title(self, query):
        """Titles matching ``query`` whatever the hamza, taa marbuta, tashkeel or tatweel.

        Rows written without save() (bulk imports) may lack ``title_search``: the plain
        titles are searched too, so they are still found when spelled as stored.
        """
        return self.filter(
            Q(title_search__contains=normalize_arabic(query).lower())
            | Q(title_ar__icontains=query)
            | Q(title_en__icontains=query)
        )

    def in_section(self, section):
        return self.filter(section=section)

    def indexable(self):
        """What sitemaps list: not hidden from search engines, not a copy of another's page."""
        return self.filter(noindex=False, canonical_url="")

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def about(self, topic):
        return self.filter(topics=topic)

    def in_edition(self, language: str | None = None):
        """What a listing in ``language`` (the current one) shows: everything in Arabic; on the
        English side, articles without English too unless NEWSROOM_EN_SHOWS_ARABIC is off."""
        language = language or get_language() or settings.LANGUAGE_CODE
        if language == settings.LANGUAGE_CODE or settings.NEWSROOM_EN_SHOWS_ARABIC:
            return self
        return self.exclude(
            Q(**{f"title_{language}": ""}) | Q(**{f"title_{language}__isnull": True})
        )

    def in_story_file(self, story_file):
        """The file's articles in the editors' order (position, then publication)."""
        order = [
            name.removeprefix("article__")
            if name.startswith("article__")
            else f"story_entries__{name}"
            for name in StoryFileEntry.READERS_ORDER
        ]  # the entries' order, seen from the articles
        return self.filter(story_entries__story_file=story_file).order_by(*order)

    def with_recorded_views(self):
        """Annotate ``recorded_views`` (views counted here, on top of the legacy figure)."""
        # The counter app (counters/) declares the per-day rows with related_name
        # "daily_views"; articles reads them through that relation and never imports it.
        view_days = self.model.daily_views.rel.related_model
        recorded = (
            view_days.objects.filter(article=models.OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=models.Sum("views"))
            .values("n")
        )
        total = Coalesce(models.Subquery(recorded), 0, output_field=models.BigIntegerField())
        return self.annotate(recorded_views=total)

    def top_per_section(self, n: int, section_ids=None):
        """The ``n`` latest published articles of every section (or of ``section_ids``), in one
        indexed query.

        A LATERAL subquery walks each section's slice of ``article_section_live_idx``
        and stops after ``n`` rows, instead of ranking every published article.
        """
        table, sections = Article._meta.db_table, Section._meta.db_table
        live = "(" + ", ".join(f"'{status}'" for status in LIVE_STATUSES) + ")"
        only, params = ("WHERE s.id = ANY(%s)", [list(section_ids)]) if section_ids else ("", [])
        ids = RawSQL(
            f"""SELECT top.id FROM "{sections}" s CROSS JOIN LATERAL (
                    SELECT a.id FROM "{table}" a
                    WHERE a.section_id = s.id AND a.status IN {live}
                    AND a.published_at <= %s
                    ORDER BY a.published_at DESC, a.id DESC LIMIT %s) top {only}""",
            (timezone.now(), n, *params),
        )
        return self.published().filter(pk__in=ids)

    def without_body(self):
        """Cards never show the body: leave it in the database."""
        return self.defer("body", "body_ar", "body_en")

    def for_listing(self):
        """What a list or card needs, in a fixed number of queries whatever the length."""
        return self.for_reading().defer(*SEARCH_VECTOR_FIELDS)

    def for_reading(self):
        """An article page: everything, bylines and comment count included (the search
        vectors feed 'related')."""
        # lead_gallery: the embeds app's one-to-one (related_name), joined so a page without
        # one asks nothing more; articles imports nothing of embeds (as with daily_views).
        return (
            self.select_related("section", "lead_gallery")
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
            .with_comment_count()
        )

    def for_page(self):
        """An article page: as ``for_reading``, with the bylines (and their authors) and the
        topics in the article's own query, as JSON arrays of their rows that
        ``adopt_page_rows`` reads back as the prefetched relations: one round trip instead of
        three. Written in SQL once per language (``_page_rows_sql``): built with the ORM's
        expressions, compiling them cost more CPU than the two round trips it saves."""
        from django.db.models import JSONField
        from modeltranslation.utils import get_language as translation_language

        bylines, topics = _page_rows_sql(translation_language())
        return (
            self.select_related("section", "lead_gallery")
            .with_comment_count()
            .annotate(
                page_bylines=RawSQL(bylines, (), output_field=JSONField()),
                page_topics=RawSQL(topics, (), output_field=JSONField()),
            )
        )

    def page_article(self, pk: int) -> "Article":
        """The published or previewed article ``pk`` as its page shows it: ``for_page`` with
        its recorded views, whether it is in a story file and whether it has corrections (the
        file and the corrections are only looked up for the few articles that have them).
        Compiled to SQL once per language (``articles/compiled.py``): building and compiling
        it cost ten times what the database takes to answer it."""
        from modeltranslation.utils import get_language as translation_language

        def build(pk):
            in_a_file = StoryFileEntry.objects.filter(article=models.OuterRef("pk"))
            corrected = Correction.objects.filter(article=models.OuterRef("pk"))
            return (
                Article.objects.for_page()
                .with_recorded_views()
                .annotate(
                    in_a_story_file=models.Exists(in_a_file),
                    has_corrections=models.Exists(corrected),
                )
                .filter(pk=pk)
                .order_by()
            )

        key = (translation_language(), settings.SITE_ID)  # what its SQL holds besides the pk
        query = compiled("article-page", key, Article, build, pk=STAND_IN)
        found = query.instances(pk=pk)
        if not found:
            raise Article.DoesNotExist(f"No article {pk}")
        return found[0].adopt_page_rows()

    def is_published_id(self, pk: int) -> bool:
        """Whether article ``pk`` is one readers may see now: its status and time, read with
        SQL compiled once per thread (``articles/compiled.py``; the time is compared here, so
        no moment is kept in the compiled SQL). The API's article answers ask it per request."""

        def build(pk):
            return Article.objects.filter(pk=pk).only("status", "published_at").order_by()

        found = compiled("article-live-check", None, Article, build, pk=STAND_IN).instances(pk=pk)
        return bool(found) and found[0].is_published()

    def with_comment_count(self):
        """Annotate ``comment_count`` (published comments) in the same query: no N+1.

        The comment model is the one configured for django-comments (our ``comments`` app's
        ReaderComment), found through the library: articles never imports ``comments``.
        """
        import django_comments

        comments = django_comments.get_model().objects
        return self.annotate(comment_count=comments.count_subquery(self.model))


@lru_cache(maxsize=8)
def _page_rows_sql(language: str) -> tuple[str, str]:
    """The article's bylines (each with its author's row) and its topics (ordered by name in
    ``language``, as the topics' manager orders them), as JSON arrays of whole rows."""
    from modeltranslation.utils import build_localized_fieldname

    article, byline, author, topic = (
        model._meta.db_table for model in (Article, Byline, Author, Topic)
    )
    through = Article.topics.field
    links = through.m2m_db_table()
    topic_name = Topic._meta.get_field(build_localized_fieldname("name", language)).column
    bylines = (
        f"SELECT COALESCE(jsonb_agg(jsonb_build_object('byline', to_jsonb(b), 'author', "
        f"to_jsonb(a)) ORDER BY b.position, b.id), '[]') FROM {byline} b "
        f"JOIN {author} a ON a.id = b.author_id WHERE b.article_id = {article}.id"
    )
    topics = (
        f"SELECT COALESCE(jsonb_agg(to_jsonb(t) ORDER BY t.{topic_name}), '[]') FROM {topic} t "
        f"JOIN {links} l ON l.{through.m2m_reverse_name()} = t.id "
        f"WHERE l.{through.m2m_column_name()} = {article}.id"
    )
    return bylines, topics


def _from_json_row(model, row: dict, using: str):
    """The instance a JSON row of ``model``'s table stands for, as the ORM loads it."""
    fields = model._meta.concrete_fields
    values = [None if row[f.column] is None else f.to_python(row[f.column]) for f in fields]
    return model.from_db(using, [field.attname for field in fields], values)


class MediaImage(models.Model):
    """An image in the media library: uploaded once, reused by any number of articles."""

    image = models.ImageField(
        _("image"), upload_to="library/%Y/%m/", validators=[validate_image_file]
    )
    alt_text = models.CharField(
        _("alt text"), max_length=300, help_text=_("What the image shows, for screen readers.")
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=150, blank=True)
    renditions = models.JSONField(_("renditions"), default=list, blank=True, editable=False)
    focal_x = models.PositiveSmallIntegerField(
        _("focal point, across (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("The point that stays in every crop: 0 is the left edge, 100 the right."),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point, down (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("0 is the top edge, 100 the bottom."),
    )
    crops = models.JSONField(_("crops"), default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("library image")
        verbose_name_plural = _("media library")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__lte=100, focal_y__lte=100),
                name="mediaimage_focal_point_inside",
            ),
        ]

    def __str__(self):
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        image_changed = self.image and self.image.name != getattr(self, "_loaded_image", None)
        focal = (self.focal_x, self.focal_y)
        focal_moved = focal != getattr(self, "_loaded_focal", focal)
        super().save(*args, **kwargs)
        if image_changed or (self.image and not self.renditions):
            self.renditions = make_renditions(self.image)
            self._loaded_image = self.image.name
            MediaImage.objects.filter(pk=self.pk).update(renditions=self.renditions)
        if self.image and (image_changed or focal_moved or not self.crops):
            # Derived files: the crops at the site's ratios around the focal point, and the
            # point on the articles that show the image (their cards' object-position).
            self.crops = make_crops(self.image, self.focal_x, self.focal_y)
            MediaImage.objects.filter(pk=self.pk).update(crops=self.crops)
            self.articles.filter(image=self.image.name).update(
                image_focal_x=self.focal_x, image_focal_y=self.focal_y, image_crops=self.crops
            )
        self._loaded_focal = focal

    def clean(self):
        """Alt text, caption and credit are plain text everywhere they show (pages, feeds,
        JSON-LD): a tag typed in them showed as typed («وكالة سانا <b>x</b>»). Refused in
        Arabic, per language column (no migration: the check is the form's)."""
        super().clean()
        codes = [code for code, _name in settings.LANGUAGES]
        texts = [f"{field}_{code}" for field in ("alt_text", "caption") for code in codes]
        check_plain_texts(self, ["credit", *texts])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "image" in field_names:
            instance._loaded_image = values[field_names.index("image")] or None
        if "focal_x" in field_names and "focal_y" in field_names:
            instance._loaded_focal = (
                values[field_names.index("focal_x")],
                values[field_names.index("focal_y")],
            )
        return instance

    @property
    def thumbnail(self):
        return self.renditions[0] if self.renditions else None


def searchable(field: str) -> Func:
    """``newsroom_search_text(field)``: tags stripped, Arabic folded (SQL twin of
    discovery.search.search_text; the function is created by migration 0002)."""
    return Func(F(field), function="newsroom_search_text", output_field=models.TextField())


def search_vector(language: str, config: str) -> SearchVector:
    """Title weighted A, lead B, body C, in one language's fields."""
    return (
        SearchVector(searchable(f"title_{language}"), weight="A", config=config)
        + SearchVector(searchable(f"lead_{language}"), weight="B", config=config)
        + SearchVector(searchable(f"body_{language}"), weight="C", config=config)
    )


SEARCH_CONFIGS = {"ar": "arabic", "en": "english"}
SEARCH_VECTOR_FIELDS = ("search_ar", "search_en")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    # Which status may follow which (a status may always stay as it is).
    TRANSITIONS = {
        "draft": {"review", "scheduled", "published"},
        "review": {"draft", "scheduled", "published"},
        "scheduled": {"draft", "review", "published", "unpublished"},
        "published": {"unpublished"},
        "unpublished": {"draft", "review", "scheduled", "published"},
    }
    # What a writer (no publish permission) may set.
    WRITER_STATUSES = ("draft", "review")

    title = models.CharField(_("title"), max_length=250, validators=[validate_plain_text])
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Made from the title when left empty."),
        validators=[validate_readable_slug],
    )
    lead = models.TextField(
        _("lead"),
        blank=True,
        help_text=_("A one or two sentence summary."),
        validators=[validate_plain_text],
    )
    body = models.TextField(_("body"), blank=True, validators=[validate_rich_text_links])
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("authors"), through="Byline", related_name="articles"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="articles"
    )
    source = models.CharField(
        _("source"), max_length=150, blank=True, help_text=_("For example: الماسة السورية")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    image = models.ImageField(
        _("lead image"), upload_to="articles/%Y/%m/", blank=True, validators=[validate_image_file]
    )
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=150, blank=True)
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)
    image_renditions = models.JSONField(
        _("image renditions"), default=list, blank=True, editable=False
    )
    # Database defaults too: bulk writers (bench/, imports) name only the columns they fill.
    image_focal_x = models.PositiveSmallIntegerField(
        _("lead image focal point, across (%)"), default=50, db_default=50, editable=False
    )
    image_focal_y = models.PositiveSmallIntegerField(
        _("lead image focal point, down (%)"), default=50, db_default=50, editable=False
    )
    image_crops = models.JSONField(
        _("lead image crops"),
        default=dict,
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
        editable=False,
    )
    comments_enabled = models.BooleanField(
        _("comments open"), default=True, help_text=_("Readers may comment on this article.")
    )
    library_image = models.ForeignKey(
        MediaImage,
        verbose_name=_("image from the library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=_("Pick an image from the media library instead of uploading one."),
    )
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Nobody can publish this article before this time."),
    )
    is_breaking = models.BooleanField(_("breaking news"), default=False)
    is_featured = models.BooleanField(
        _("lead story"), default=False, help_text=_("Shown first and largest on the home page.")
    )
    pin_order = models.PositiveSmallIntegerField(
        _("pinned position"),
        null=True,
        blank=True,
        help_text=_("Pinned to the top of the home page; 1 comes first. Empty: not pinned."),
    )
    # What search engines and shared links read (each empty: the title, lead and image hold).
    seo_title = models.CharField(
        _("title for search engines"),
        default="",
        db_default="",  # rows written by COPY (imports, generated newsrooms) too
        max_length=110,
        blank=True,
        help_text=_("Shown in search results and shared links instead of the title."),
        validators=[validate_plain_text],
    )
    meta_description = models.CharField(
        _("meta description"),
        default="",
        db_default="",  # rows written by COPY (imports, generated newsrooms) too
        max_length=300,
        blank=True,
        help_text=_("About 150 characters for search results; empty: the lead."),
        validators=[validate_plain_text],
    )
    social_image = models.ForeignKey(
        MediaImage,
        verbose_name=_("image for shared links"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the article is shared; empty: the lead image."),
    )
    canonical_url = models.URLField(
        _("canonical address"),
        default="",
        db_default="",  # rows written by COPY (imports, generated newsrooms) too
        max_length=500,
        blank=True,
        help_text=_("For a copy of another outlet's story: the original's address."),
    )
    noindex = models.BooleanField(
        _("hide from search engines"),
        db_default=False,  # rows written by COPY (imports, generated newsrooms) too
        default=False,
        help_text=_("Asks search engines not to index the article, and leaves it out of sitemaps."),
    )
    title_search = models.CharField(
        _("normalised title"), max_length=520, blank=True, default="", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    view_count = models.PositiveBigIntegerField(
        _("views"), default=0, help_text=_("Public view count, including imported figures.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Computed by PostgreSQL on every INSERT/UPDATE, whoever writes (admin, importer, SQL).
    search_ar = models.GeneratedField(
        expression=search_vector("ar", "arabic"),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("Arabic search vector"),
    )
    search_en = models.GeneratedField(
        expression=search_vector("en", "english"),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("English search vector"),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-id")
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published_idx"),
            # The reading site's lists: live articles newest first, read in index order.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="article_live_latest_idx",
                condition=Q(status__in=LIVE_STATUSES),
            ),
            # The home page's flagged stories (breaking, lead, pinned): a handful of rows.
            models.Index(
                F("pin_order").asc(nulls_last=True),
                F("published_at").desc(),
                name="article_flagged_idx",
                condition=Q(is_featured=True) | Q(is_breaking=True) | Q(pin_order__isnull=False),
            ),
            models.Index(
                fields=["section", "-published_at"],
                name="article_section_live_idx",
                condition=Q(status__in=LIVE_STATUSES),
            ),
            GinIndex(fields=["search_ar"], name="article_search_ar_gin"),
            GinIndex(fields=["search_en"], name="article_search_en_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=LIVE_STATUSES) | Q(published_at__isnull=False),
                name="article_live_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=LIVE_STATUSES)
                | Q(embargo_until__isnull=True)
                | Q(published_at__gte=F("embargo_until")),
                name="article_respects_embargo",
            ),
        ]
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish articles")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            # Not «عاجل-زلزال-…»: the address outlives the story's being breaking news.
            self.slug = unique_slug(Article, bare_headline(self.title), self.pk)
        self.fill_derived_fields()
        if self.library_image_id and self.image.name != self.library_image.image.name:
            # Reference the library's file and renditions: no copy, no re-encoding.
            library = self.library_image
            self.image = library.image.name
            self._loaded_image = library.image.name
            self.image_renditions = library.renditions
            self.image_focal_x, self.image_focal_y = library.focal_x, library.focal_y
            self.image_crops = library.crops
            self.image_caption = self.image_caption or library.caption
            self.image_credit = self.image_credit or library.credit
            self.image_alt = self.image_alt or library.alt_text
        image_changed = self.image and self.image.name != getattr(self, "_loaded_image", None)
        super().save(*args, **kwargs)
        if image_changed or (self.image and not self.image_renditions):
            self.image_renditions = make_renditions(self.image)
            self._loaded_image = self.image.name
            if image_changed:  # an upload of its own: no library crops, the centre as focus
                self.image_crops, self.image_focal_x, self.image_focal_y = {}, 50, 50
            Article.objects.filter(pk=self.pk).update(
                image_renditions=self.image_renditions,
                image_crops=self.image_crops,
                image_focal_x=self.image_focal_x,
                image_focal_y=self.image_focal_y,
            )
        elif not self.image and self.image_renditions:
            self.image_renditions = []
            Article.objects.filter(pk=self.pk).update(image_renditions=[], image_crops={})

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    # The lead image's texts and where a library image keeps each (modeltranslation's columns).
    LIBRARY_IMAGE_TEXTS = (
        *((f"image_alt_{code}", f"alt_text_{code}") for code, _name in settings.LANGUAGES),
        *((f"image_caption_{code}", f"caption_{code}") for code, _name in settings.LANGUAGES),
        ("image_credit", "credit"),
    )

    def use_library_image_texts(self, typed=()) -> None:
        """The library image just picked brings its own alt text, caption and credit: the
        ones here described the picture it replaces (a screen reader read out the old
        photo's alt). The fields named in ``typed``, written in the same save, are kept."""
        library = self.library_image
        if library is None:
            return
        for own, theirs in self.LIBRARY_IMAGE_TEXTS:
            if own not in typed:
                setattr(self, own, getattr(library, theirs) or "")

    def fill_derived_fields(self):
        """What save() derives from the editor's fields (bulk writers call it themselves)."""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        titles = (getattr(self, "title_ar", None), getattr(self, "title_en", None))
        self.title_search = normalize_arabic(" ".join(filter(None, titles)) or self.title)
        self.title_search = self.title_search.lower()[:520]
        for field in ("body_ar", "body_en"):
            if getattr(self, field, None):
                setattr(self, field, sanitize_html(getattr(self, field)))

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "image" in field_names:
            instance._loaded_image = values[field_names.index("image")] or None
        if "status" in field_names:
            instance._loaded_status = values[field_names.index("status")]
        return instance

    def clean(self):
        super().clean()
        now = timezone.now()
        errors = {}
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = now  # publishing now; also satisfies article_live_has_time
        if self.status == self.Status.SCHEDULED:
            if self.published_at is None:
                errors["published_at"] = _("A scheduled article needs a publication time.")
            elif self.published_at <= now:
                errors["published_at"] = _(
                    "A scheduled article needs a publication time in the future."
                )
        if self.status in LIVE_STATUSES and self.embargo_until:
            moment = self.published_at or now
            if moment < self.embargo_until:
                errors["status"] = _(
                    "This article is under embargo until %(time)s: it cannot be published "
                    "or scheduled before then."
                ) % {"time": timezone.localtime(self.embargo_until).strftime("%Y-%m-%d %H:%M")}
        for code, _name in settings.LANGUAGES:
            body = getattr(self, f"body_{code}", None)
            if not body:
                continue
            for _receiver, problem in check_body.send(sender=Article, article=self, body=body):
                if problem:
                    errors.setdefault(f"body_{code}", problem)
        loaded = getattr(self, "_loaded_status", None)
        if self.pk and self.status in LIVE_STATUSES and loaded not in LIVE_STATUSES:
            for _receiver, reason in pre_publish.send(sender=Article, article=self):
                if reason:
                    errors.setdefault("status", reason)
        if loaded and not self.can_move_to(self.status, loaded):
            errors.setdefault(
                "status",
                _("An article cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": self.Status(loaded).label,
                    "new": self.Status(self.status).label,
                },
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def can_move_to(cls, new, old):
        return new == old or new in cls.TRANSITIONS.get(old, ())

    def is_published(self):
        return (
            self.status in LIVE_STATUSES
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    is_published.boolean = True

    def get_status_shown(self) -> str:
        """The status as the desk should read it: a scheduled article whose time has come is
        «منشور» (it is on the site, in the feeds, the API), not still «مجدول»."""
        if self.status == self.Status.SCHEDULED and self.is_published():
            return self.Status.PUBLISHED.label
        return self.get_status_display()

    @property
    def body_html(self):
        """The body as stored: sanitised by nh3 on every save, so safe to render."""
        return mark_safe(self.body)

    def adopt_page_rows(self):
        """The bylines and topics ``for_page`` read in the article's query, as if prefetched."""
        using = self._state.db
        bylines = []
        for row in self.page_bylines:
            author = _from_json_row(Author, row["author"], using)
            byline = _from_json_row(Byline, row["byline"], using)
            byline._state.fields_cache["author"] = author
            bylines.append(byline)
        topics = [_from_json_row(Topic, row, using) for row in self.page_topics]
        if not hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache = {}
        for name, rows in (("bylines", bylines), ("topics", topics)):
            queryset = getattr(self, name).all()
            queryset._result_cache, queryset._prefetch_done = rows, True
            self._prefetched_objects_cache[name] = queryset
        return self

    def page_corrections(self) -> list:
        """The article's corrections, newest first (``corrections.all()``), their SQL compiled
        once per thread (``articles/compiled.py``); none without a query when the page's own
        query found that it has none (``has_corrections``, from ``page_article``)."""
        if getattr(self, "has_corrections", True) is False:
            return []

        def build(article_id):
            return Correction.objects.filter(article_id=article_id)

        query = compiled("corrections", None, Correction, build, article_id=STAND_IN)
        return query.instances(article_id=self.pk)

    @cached_property
    def ordered_authors(self):
        return [byline.author for byline in self.bylines.all()]

    @property
    def shown_in_arabic(self) -> bool:
        """On a page in another language, the article has no text of its own in it: its Arabic
        title, lead and body are shown (marked lang="ar" dir="rtl")."""
        language = get_language() or settings.LANGUAGE_CODE
        if language == settings.LANGUAGE_CODE:
            return False
        return not getattr(self, f"title_{language}", None)

    @property
    def largest_rendition(self):
        return self.image_renditions[-1] if self.image_renditions else None

    def _own_language(self, field: str) -> str:
        """The field in the page's language only (no fallback to another language's text)."""
        language = get_language() or settings.LANGUAGE_CODE
        return getattr(self, f"{field}_{language}", None) or ""

    @property
    def head_title(self) -> str:
        return self._own_language("seo_title") or self.title

    @property
    def head_description(self) -> str:
        return self._own_language("meta_description") or self.lead

    @property
    def image_alt_in_page_language(self) -> str:
        """The lead image's description in the page's own language (what a share shows beside
        the page's title and locale): its alt text, else its caption, else the title. An
        English page whose image is described in Arabic only describes it by its title."""
        return self._own_language("image_alt") or self._own_language("image_caption") or self.title

    @property
    def share_rendition(self):
        """The image for link previews: the 1.91:1 crop around the focal point when the image
        comes from the library, else the largest rendition."""
        crops = (self.image_crops or {}).get("1.91:1")
        return crops[-1] if crops else self.largest_rendition

    @property
    def total_views(self):
        """The legacy figure plus the views recorded here (annotated as ``recorded_views``)."""
        recorded = getattr(self, "recorded_views", None)
        if recorded is None:
            recorded = self.daily_views.aggregate(n=models.Sum("views"))["n"]
        return self.view_count + (recorded or 0)


class StoryFile(models.Model):
    """A «ملف»: a running story's articles gathered under one heading, in the editors' order."""

    title = models.CharField(_("title"), max_length=200)
    slug = address_slug_field()
    description = models.TextField(_("description"), blank=True)
    articles = models.ManyToManyField(
        "Article", verbose_name=_("articles"), through="StoryFileEntry", related_name="story_files"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("story file")
        verbose_name_plural = _("story files")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(StoryFile, self.title, self.pk, fallback="file")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:story_file", self.slug)

    def clean(self):
        """A file's title is plain text wherever it shows (and its address is made from it):
        «ملف العاصفة <b>الثلجية</b>» was saved, its slug «…-bالثلجيةb»."""
        super().clean()
        titles = [f"title_{code}" for code, _name in settings.LANGUAGES]
        check_plain_texts(self, [name for name in titles if hasattr(self, name)])


class StoryFileEntry(models.Model):
    """An article's place in a story file; ``position`` orders the file (1 comes first)."""

    story_file = models.ForeignKey(
        StoryFile, verbose_name=_("story file"), on_delete=models.CASCADE, related_name="entries"
    )
    article = models.ForeignKey(
        "Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="story_entries",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # The readers' order of a file: by position, pieces given one number by publication. The
    # file's page (ArticleQuerySet.in_story_file) and the desk's rows both follow it: they
    # listed two such pieces each its own way.
    READERS_ORDER = ("position", "article__published_at", "article__id")

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("article in the file")
        verbose_name_plural = _("articles in the file")
        constraints = [
            models.UniqueConstraint(
                fields=["story_file", "article"], name="story_file_entry_unique"
            ),
        ]

    def __str__(self):
        return f"{self.story_file_id} #{self.position}: {self.article_id}"


class Byline(models.Model):
    """An author's place on an article's byline; ``position`` keeps their order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]

    def __str__(self):
        return str(self.author)


class StatusChange(models.Model):
    """One move of an article through the workflow: who, when, from what to what."""

    listed_on_delete = False  # bookkeeping: deleted with its article, not listed

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Article.Status, blank=True, default=""
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Article.Status)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ("-changed_at", "-id")
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["article", "-changed_at"], name="statuschange_article_idx")]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Correction(models.Model):
    """A dated correction or clarification appended to a published article, shown publicly."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        indexes = [models.Index(fields=["-created_at"], name="correction_created_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"

    def clean(self):
        super().clean()
        # A draft's text is still its own to change: a correction there was saved without a
        # word, and the article would have opened with a correction of what nobody read.
        if self.article_id and self.article.status in Article.WRITER_STATUSES:
            raise ValidationError(
                {
                    "article": _(
                        "This article has not been published: correct its own text. A "
                        "correction tells readers what changed in what they read."
                    )
                }
            )


def slug_url(name: str, slug: str) -> str:
    """``reverse(name, slug=slug)``, remembered: a home page links ~700 times per render."""
    return kept_reverse(name, kwargs={"slug": slug})


def unique_slug(model, text: str, pk=None, fallback: str = "article") -> str:
    """A unicode slug from ``text``, with -2, -3… added until no other row has it."""
    base = unicode_slug(text, fallback=fallback)
    taken = set(
        model.objects.filter(slug__startswith=base).exclude(pk=pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def story_navigation(article) -> dict | None:
    """The story file an article belongs to (its first, if several), with the published
    pieces before and after it: one query. None when the article is in no file."""
    entries = list(
        StoryFileEntry.objects.filter(
            story_file__in=StoryFileEntry.objects.filter(article=article).values("story_file"),
            article__status__in=LIVE_STATUSES,
            article__published_at__lte=timezone.now(),
        )
        .select_related("story_file", "article")
        .only(
            "position",
            "story_file__slug",
            "story_file__title",
            "story_file__title_ar",
            "story_file__title_en",
            "article__slug",
            "article__title",
            "article__title_ar",
            "article__title_en",
        )
        .order_by("story_file_id", "position", "article__published_at", "pk")
    )
    files = {}
    for entry in entries:
        files.setdefault(entry.story_file_id, []).append(entry)
    for pieces in files.values():
        ids = [entry.article_id for entry in pieces]
        if article.pk not in ids:
            continue
        place = ids.index(article.pk)
        return {
            "file": pieces[0].story_file,
            "previous": pieces[place - 1].article if place > 0 else None,
            "next": pieces[place + 1].article if place + 1 < len(pieces) else None,
            "place": place + 1,
            "total": len(pieces),
        }
    return None


class ArticleVersionRelations(models.Model):
    """What a version of an article (django-simple-history) keeps besides its own columns:
    its topics and its bylines, in order, by name (they are not columns of the article)."""

    listed_on_delete = False  # bookkeeping: deleted with its article, not listed

    relations = models.JSONField(_("topics and bylines"), default=dict, blank=True)

    class Meta:
        abstract = True


def article_relations(article) -> dict:
    """The topics and bylines a version records: names, bylines in their order."""
    return {
        "topics": sorted(article.topics.values_list("name", flat=True)),
        "bylines": list(
            article.bylines.order_by("position").values_list("author__name", flat=True)
        ),
    }

"""The newsroom's content: sections, authors (persons and teams) and articles."""

from functools import lru_cache

from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.html import sanitize_html
from articles.images import make_renditions, validate_image_file
from articles.text import unicode_slug


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)

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

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, allow_unicode=True, blank=True)
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


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see now: published, and their time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_section(self, section):
        return self.filter(section=section)

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def top_per_section(self, n: int):
        """The ``n`` latest published articles of every section, in one indexed query.

        A LATERAL subquery walks each section's slice of ``article_section_published_idx``
        and stops after ``n`` rows, instead of ranking every published article.
        """
        table, sections = Article._meta.db_table, Section._meta.db_table
        ids = RawSQL(
            f"""SELECT top.id FROM "{sections}" s CROSS JOIN LATERAL (
                    SELECT a.id FROM "{table}" a
                    WHERE a.section_id = s.id AND a.status = %s AND a.published_at <= %s
                    ORDER BY a.published_at DESC, a.id DESC LIMIT %s) top""",
            (Article.Status.PUBLISHED, timezone.now(), n),
        )
        return self.published().filter(pk__in=ids)

    def without_body(self):
        """Cards never show the body: leave it in the database."""
        return self.defer("body", "body_ar", "body_en")

    def for_listing(self):
        """What a list or card needs, in a fixed number of queries whatever the length."""
        return self.select_related("section").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Made from the title when left empty."),
    )
    lead = models.TextField(_("lead"), blank=True, help_text=_("A one or two sentence summary."))
    body = models.TextField(_("body"), blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("authors"), through="Byline", related_name="articles"
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
    view_count = models.PositiveBigIntegerField(
        _("views"), default=0, help_text=_("Public view count, including imported figures.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-id")
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published_idx"),
            models.Index(
                fields=["section", "-published_at"],
                name="article_section_published_idx",
                condition=Q(status="published"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title, self.pk)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        for field in ("body_ar", "body_en"):
            if getattr(self, field, None):
                setattr(self, field, sanitize_html(getattr(self, field)))
        image_changed = self.image and self.image.name != getattr(self, "_loaded_image", None)
        super().save(*args, **kwargs)
        if image_changed or (self.image and not self.image_renditions):
            self.image_renditions = make_renditions(self.image)
            self._loaded_image = self.image.name
            Article.objects.filter(pk=self.pk).update(image_renditions=self.image_renditions)
        elif not self.image and self.image_renditions:
            self.image_renditions = []
            Article.objects.filter(pk=self.pk).update(image_renditions=[])

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "image" in field_names:
            instance._loaded_image = values[field_names.index("image")] or None
        return instance

    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    is_published.boolean = True

    @property
    def body_html(self):
        """The body as stored: sanitised by nh3 on every save, so safe to render."""
        return mark_safe(self.body)

    @cached_property
    def ordered_authors(self):
        return [byline.author for byline in self.bylines.all()]

    @property
    def largest_rendition(self):
        return self.image_renditions[-1] if self.image_renditions else None


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


def slug_url(name: str, slug: str) -> str:
    """``reverse(name, slug=slug)``, remembered: a home page links ~700 times per render."""
    return _slug_url(get_urlconf(), get_script_prefix(), get_language(), name, slug)


@lru_cache(maxsize=65536)
def _slug_url(urlconf, prefix: str, language: str | None, name: str, slug: str) -> str:
    return reverse(name, kwargs={"slug": slug})


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

"""What the archive import remembers: where each article and comment came from, old URLs.

The records make a second run idempotent (keyed on the source's own ids) and let old
links answer a permanent redirect to the article's new address.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, Section, Topic
from embeds.models import Gallery


class ImportedArticle(models.Model):
    """One article brought in from an archive source (a WordPress site, saved pages)."""

    source = models.CharField(
        _("source"), max_length=200, help_text=_("The WordPress site address, or “page”.")
    )
    source_id = models.CharField(_("id in the source"), max_length=200)
    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="import_record"
    )
    checksum = models.CharField(_("checksum"), max_length=64)
    imported_views = models.PositiveBigIntegerField(_("imported views"), default=0)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    position = models.CharField(_("position in the source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        ordering = ("source", "source_id")
        verbose_name = _("imported article")
        verbose_name_plural = _("imported articles")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="imported_article_unique_source_id"
            ),
        ]

    def __str__(self):
        return f"{self.source} #{self.source_id}"


class ImportedComment(models.Model):
    """One comment brought in with its article; ``comment_id`` points at the comments model."""

    source = models.CharField(_("source"), max_length=200)
    source_id = models.CharField(_("id in the source"), max_length=200)
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    comment_id = models.BigIntegerField(_("comment"))

    class Meta:
        ordering = ("source", "source_id")
        verbose_name = _("imported comment")
        verbose_name_plural = _("imported comments")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="imported_comment_unique_source_id"
            ),
        ]

    def __str__(self):
        return f"{self.source} comment #{self.source_id}"


class LegacyPath(models.Model):
    """An old address (decoded, no trailing slash; ``/?p=123`` for WordPress) of an article,
    or of a section (``/category/<slug>``), an author (``/author/<login>``) or a topic
    (``/tag/<slug>``): exactly one."""

    path = models.CharField(_("old path"), max_length=500, unique=True)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="legacy_paths",
        null=True,
        blank=True,
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="legacy_paths",
        null=True,
        blank=True,
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="legacy_paths",
        null=True,
        blank=True,
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="legacy_paths",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ("path",)
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, section__isnull=True, author__isnull=True)
                    | models.Q(article__isnull=True, section__isnull=False, author__isnull=True)
                    | models.Q(article__isnull=True, section__isnull=True, author__isnull=False)
                )
                & models.Q(topic__isnull=True)
                | models.Q(
                    article__isnull=True,
                    section__isnull=True,
                    author__isnull=True,
                    topic__isnull=False,
                ),
                name="legacy_path_one_target",
            ),
        ]

    def __str__(self):
        return self.path


class ImportedGallery(models.Model):
    """A gallery made from one of an imported post's WordPress galleries (``[gallery]`` or a
    ``wp:gallery`` block), keyed on the post and the gallery's place in it, so a second run
    makes none again. ``images`` are the WordPress images it shows, in order; ``complete``
    once each of them is in the gallery (their attachments may come later in the export, or
    their files with a later run's ``--uploads``)."""

    source = models.CharField(_("source"), max_length=200)
    source_id = models.CharField(_("post id in the source"), max_length=200)
    number = models.PositiveSmallIntegerField(_("gallery in the post"))
    gallery = models.OneToOneField(
        Gallery, verbose_name=_("gallery"), on_delete=models.CASCADE, related_name="import_record"
    )
    images = models.JSONField(_("images in WordPress"), default=list, blank=True)
    attached = models.BooleanField(
        _("the post's attached images"),
        default=False,
        help_text=_("A [gallery] without ids: the images attached to the post."),
    )
    complete = models.BooleanField(_("every image found"), default=False)

    class Meta:
        ordering = ("source", "source_id", "number")
        verbose_name = _("imported gallery")
        verbose_name_plural = _("imported galleries")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "number"], name="imported_gallery_unique_place"
            ),
        ]
        indexes = [
            models.Index(
                fields=["source"],
                condition=models.Q(complete=False),
                name="imported_gallery_incomplete",
            ),
        ]

    def __str__(self):
        return f"{self.source} #{self.source_id} ({self.number + 1})"

"""What the old addresses lead to: the slugs objects gave up, and the desk's own redirects."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from pages.models import Page
from redirects.kinds import KIND_LABELS


class SlugHistory(models.Model):
    """A slug an object had before, and the slug it has now (kept current on every rename,
    so a chain A → B → C answers C for A at once; empty once the object is deleted)."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=list(KIND_LABELS.items()), db_index=False
    )
    old_slug = models.CharField(_("old slug"), max_length=200)
    object_id = models.BigIntegerField(_("object"))
    current_slug = models.CharField(_("current slug"), max_length=200)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ("kind", "old_slug")
        verbose_name = _("old slug")
        verbose_name_plural = _("old slugs")
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="slug_history_unique_old"),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="slug_history_object")]

    def __str__(self):
        return f"{self.kind}: {self.old_slug} → {self.current_slug}"


class Redirect(models.Model):
    """An address the desk sends elsewhere (an article, a page or any address) or marks gone."""

    class Status(models.IntegerChoices):
        MOVED_PERMANENTLY = 301, _("301: moved for good")
        FOUND = 302, _("302: moved for now")
        GONE = 410, _("410: gone")

    old_path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,
        help_text=_("A path on this site, such as /2017/04/old-title/ or /ar/news/old/."),
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    url = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("Any address: a path on this site (/ar/section/x/) or a full https:// link."),
    )
    target_key = models.CharField(
        _("target path"), max_length=500, blank=True, db_index=True, editable=False
    )
    status = models.PositiveSmallIntegerField(_("answer"), choices=Status, default=301)
    hits = models.PositiveBigIntegerField(_("hits"), default=0, editable=False)
    last_hit = models.DateTimeField(_("last hit"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("old_path",)
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status=410, article__isnull=True, page__isnull=True, url="")
                    | (
                        ~models.Q(status=410)
                        & (
                            models.Q(article__isnull=False, page__isnull=True, url="")
                            | models.Q(article__isnull=True, page__isnull=False, url="")
                            | (
                                models.Q(article__isnull=True, page__isnull=True)
                                & ~models.Q(url="")
                            )
                        )
                    )
                ),
                name="redirect_one_target_unless_gone",
            ),
        ]

    def __str__(self):
        return self.old_path

    def save(self, *args, **kwargs):
        from redirects.services import site_key

        self.target_key = site_key(self.url) if self.url else ""
        super().save(*args, **kwargs)

    def clean(self):
        from redirects.services import redirect_problems

        problems = redirect_problems(self)
        if problems:
            raise ValidationError(problems)

    def target_url(self) -> str:
        """Where it leads today ("" when gone)."""
        if self.article_id:
            return self.article.get_absolute_url()
        if self.page_id:
            return self.page.get_absolute_url()
        return self.url

from django.db import models
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles.html import sanitize_html
from articles.models import slug_url, unique_slug


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_footer(self):
        return self.published().filter(show_in_footer=True)


class Page(models.Model):
    """A page of the outlet's own: about us, contact, privacy. Its body goes through the same
    sanitiser as articles' (nh3), in both languages, with every version kept."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True, blank=True)
    body = models.TextField(_("body"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    show_in_footer = models.BooleanField(_("linked from the footer"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ("order", "pk")
        verbose_name = _("static page")
        verbose_name_plural = _("static pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Page, self.title, self.pk, fallback="page")
        for field in ("body_ar", "body_en"):
            if getattr(self, field, None):
                setattr(self, field, sanitize_html(getattr(self, field)))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("pages:detail", self.slug)

    @property
    def body_html(self):
        """The body as stored: sanitised on every save, so safe to render."""
        return mark_safe(self.body)

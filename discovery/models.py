"""Discovery's own table: the archive's vocabulary for «did you mean…». The search vectors
themselves stay on articles.Article (they are maintained with its row)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchTerm(models.Model):
    """A folded word of the published archive and how many articles use it: the vocabulary
    behind «did you mean…» (no pg_trgm needed). Rebuilt by ``manage.py refresh_search_terms``."""

    word = models.CharField(_("word"), max_length=100, primary_key=True)
    key_length = models.PositiveSmallIntegerField(
        _("length"), help_text=_("Letters, without a leading definite article.")
    )
    documents = models.PositiveIntegerField(_("articles"))

    class Meta:
        db_table = "articles_searchterm"  # created by articles/ before the discovery app
        ordering = ("-documents",)
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [
            models.Index(fields=["key_length", "-documents"], name="searchterm_length_idx"),
        ]

    def __str__(self):
        return self.word

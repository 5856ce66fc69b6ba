"""The view counter's tables: views per article and day (sharded), recent readers (for the
dedup window, as hashes) and the day's salt. The tables keep the names they had when the
counter lived in articles/ (moved without touching a row: migrations/0001_initial.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleViewDay(models.Model):
    """Views counted for one article on one local day, spread over a few shard rows.

    Each counted view is one ``INSERT … ON CONFLICT DO UPDATE SET views = views + 1`` on a
    randomly chosen shard, so concurrent readers of a viral article rarely wait on the same
    row lock. ``views`` is not indexed, which keeps those updates HOT (see counters/README.md).
    """

    listed_on_delete = False  # bookkeeping: deleted with its article, not listed

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="daily_views",
        db_index=False,  # the unique (article, day, shard) index serves article lookups
    )
    day = models.DateField(_("day"))
    shard = models.PositiveSmallIntegerField(_("shard"), default=0)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        db_table = "articles_articleviewday"  # created by articles/ before the counter app
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day", "shard"], name="article_view_day_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["day"], name="article_view_day_day_idx"),
            # The shard rows still to fold (compact_days): a day's worth among years of rows.
            models.Index(
                fields=["day"], name="article_view_day_shards_idx", condition=~models.Q(shard=0)
            ),
        ]

    def __str__(self):
        return f"{self.article_id} {self.day} #{self.shard}: {self.views}"


class ArticleViewHour(models.Model):
    """Views counted for one article in one hour (UTC, truncated), sharded like the days:
    written by the same statement, read by the desk's charts of the last 48 hours. Rows older
    than NEWSROOM_VIEW_HOURS_KEPT hours are deleted by ``purge_view_readers``."""

    listed_on_delete = False  # bookkeeping: deleted with its article, not listed

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="hourly_views",
        db_index=False,  # the unique (article, hour, shard) index serves article lookups
    )
    hour = models.DateTimeField(_("hour"))
    shard = models.PositiveSmallIntegerField(_("shard"), default=0)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("hourly views")
        verbose_name_plural = _("hourly views")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour", "shard"], name="article_view_hour_unique"
            ),
        ]
        indexes = [models.Index(fields=["hour"], name="article_view_hour_hour_idx")]

    def __str__(self):
        return f"{self.article_id} {self.hour:%Y-%m-%d %H}h #{self.shard}: {self.views}"


class ViewReader(models.Model):
    """A reader's last counted view of an article, for the dedup window. No IP is stored.

    ``reader`` is a keyed hash of (daily random salt, IP address, user agent). The salt lives
    in :class:`ViewSalt` and is deleted after a day, after which no hash can be linked back.
    ``article_id`` is a plain column (no foreign key): a foreign key check would take a
    ``FOR KEY SHARE`` lock on the article row for every view, the hot spot we avoid.
    """

    listed_on_delete = False  # bookkeeping: deleted with its article, not listed

    pk = models.CompositePrimaryKey("reader", "article_id")
    reader = models.BinaryField(_("reader hash"), max_length=16)
    article_id = models.BigIntegerField(_("article"))
    seen_at = models.DateTimeField(_("counted at"))

    class Meta:
        db_table = "articles_viewreader"
        verbose_name = _("recent reader")
        verbose_name_plural = _("recent readers")

    def __str__(self):
        return f"{self.reader.hex()[:8]}… → {self.article_id}"


class ViewSalt(models.Model):
    """The random salt for reader hashes on one local day; older salts are deleted."""

    day = models.DateField(_("day"), primary_key=True)
    salt = models.BinaryField(_("salt"), max_length=32)

    class Meta:
        db_table = "articles_viewsalt"
        verbose_name = _("view salt")
        verbose_name_plural = _("view salts")

    def __str__(self):
        return str(self.day)

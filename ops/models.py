"""The operators' tables: the ledger of periodic jobs (ops/jobs.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a periodic job for one period: the unique pair is what makes it once."""

    job = models.CharField(_("job"), max_length=100)
    period_start = models.DateTimeField(_("period start"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    runner = models.CharField(_("run by"), max_length=200, help_text=_("host and process id"))

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        db_table = "newsroom_jobrun"  # made by newsroom before the move (ops/migrations/0001)
        ordering = ("-period_start",)
        constraints = [
            models.UniqueConstraint(fields=("job", "period_start"), name="jobrun_once_per_period")
        ]

    def __str__(self):
        return f"{self.job} @ {self.period_start:%Y-%m-%d %H:%M}"

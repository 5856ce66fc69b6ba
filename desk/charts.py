"""Bar charts drawn on the server as SVG: no script, no library, nothing from elsewhere.

Time runs from right to left, as an Arabic reader reads (the oldest bar at the right edge);
labels are in the desk's language with the site's digits (NEWSROOM_DIGITS); each chart has a
<title> and a <desc>, and the same figures as a table for screen readers and for anyone who
wants the exact numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from articles.dates import local_digits

WIDTH, HEIGHT = 720, 240
TOP, BOTTOM, SIDE = 16, 40, 56  # room for the axis labels (SIDE: the right-hand value axis)


def _n(value: float) -> str:
    """A coordinate for an SVG attribute: always a dot, never the language's decimal comma
    (templates localise floats: «73,6» would break the drawing)."""
    return f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class Point:
    label: str  # the full label, for the table ("27 نيسان 2026 - 14:00")
    tick: str  # the short label under the bar, when there is room ("14")
    value: int


def bar_chart(
    *, chart_id: str, title: str, points: list[Point], column: str, tick_every: int = 1
) -> SafeString:
    """An SVG bar chart of ``points`` (oldest first), with its table; ``column`` heads the
    table's first column ("hour", "day")."""
    peak = max((point.value for point in points), default=0)
    scale = peak or 1
    plot_width = WIDTH - SIDE - 8
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        height = plot_height * point.value / scale
        x = WIDTH - SIDE - (index + 1) * step + step * 0.1  # the oldest at the right
        bars.append(
            {
                "x": _n(x),
                "y": _n(TOP + plot_height - height),
                "width": _n(step * 0.8),
                "height": _n(height),
                "center": _n(x + step * 0.4),
                "tick": point.tick if index % tick_every == 0 else "",
                "label": f"{point.label}: {local_digits(point.value)}",
            }
        )
    total = sum(point.value for point in points)
    context = {
        "id": chart_id,
        "title": title,
        "description": _("%(count)s figures; total %(total)s, highest %(peak)s.")
        % {
            "count": local_digits(len(points)),
            "total": local_digits(total),
            "peak": local_digits(peak),
        },
        "width": _n(WIDTH),
        "height": _n(HEIGHT),
        "bars": bars,
        "axis_x": _n(WIDTH - SIDE),
        "axis_label_x": _n(WIDTH - SIDE + 6),
        "baseline": _n(TOP + plot_height),
        "tick_y": _n(TOP + plot_height + 18),
        "top": _n(TOP),
        "middle": _n(TOP + plot_height / 2),
        # an empty chart's axis reads «0» once, not «0, 0, 0»; a peak of 1 has no half
        "peak": local_digits(peak) if peak else "",
        "half": local_digits(peak // 2) if peak // 2 else "",
        "zero": local_digits(0),
        "column": column,
        "rows": [(point.label, local_digits(point.value)) for point in points],
    }
    return SafeString(render_to_string("desk/chart.html", context))

"""Dates and numbers as a Syrian reader reads them.

Django's Arabic locale names months the Egyptian way (يناير، فبراير…). A Levantine
readership reads كانون الثاني، شباط، آذار…; ``NEWSROOM_MONTH_NAMES`` picks the style,
``NEWSROOM_DIGITS`` the digits, ``NEWSROOM_SHOW_HIJRI`` adds the Hijri date.
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language

from articles.text import to_arabic_indic

LEVANTINE_MONTHS = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)  # fmt: skip
EGYPTIAN_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
HIJRI_MONTHS = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)  # fmt: skip


def is_arabic() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).startswith("ar")


def local_digits(value) -> str:
    """A number or text with digits in the site's style on Arabic pages."""
    text = str(value)
    if is_arabic() and settings.NEWSROOM_DIGITS == "arabic-indic":
        return to_arabic_indic(text)
    return text


def local_number(value: int) -> str:
    """A count as readers of the page's language write it: «7,529 views» in English, «7529
    مشاهدة» in Arabic (digits per setting; no grouping, as the outlet has always written)."""
    if is_arabic():
        return local_digits(value)
    return f"{value:,}"


def format_date(value, with_time: bool = False) -> str:
    """«27 نيسان 2017» on Arabic pages (month names per setting), «27 April 2017» in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        day = moment.date()
    else:
        moment, day = None, value
    if not is_arabic():
        text = formats.date_format(day, "j F Y")
        if with_time and moment is not None:
            text += moment.strftime(" %H:%M")
        return text
    months = EGYPTIAN_MONTHS if settings.NEWSROOM_MONTH_NAMES == "egyptian" else LEVANTINE_MONTHS
    text = f"{day.day} {months[day.month - 1]} {day.year}"
    if with_time and moment is not None:
        text += moment.strftime(" - %H:%M")
    if settings.NEWSROOM_SHOW_HIJRI:
        text += f" ({hijri_date(day)})"
    return local_digits(text)


def hijri_date(day: date) -> str:
    from hijridate import Gregorian

    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} هـ"


class Period:
    """A year, a month or a day of the date archive, in the site's time zone."""

    def __init__(self, year: int, month: int | None = None, day: int | None = None):
        self.year, self.month, self.day = year, month, day
        # Raises ValueError for a month or day that does not exist (the view answers 404): 0
        # too (not "no month"), and numbers too large for a date (before Python overflows).
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"no month {month}")
        if day is not None and not 1 <= day <= 31:
            raise ValueError(f"no day {day}")
        self.first = date(year, month or 1, day or 1)

    @property
    def pk(self) -> str:
        """Its key: 2026, 2026-12 or 2026-12-06 (cache tags, fragment keys)."""
        if self.day:
            return f"{self.first:%Y-%m-%d}"
        return f"{self.first:%Y-%m}" if self.month else f"{self.year}"

    def next_start(self) -> date:
        if self.day:
            return date.fromordinal(self.first.toordinal() + 1)
        if self.month:
            return date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return date(self.year + 1, 1, 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: an indexed range on the publication time."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.first, datetime.min.time(), tzinfo=zone)
        return start, datetime.combine(self.next_start(), datetime.min.time(), tzinfo=zone)

    @property
    def month_label(self) -> str:
        return f"{month_name(self.month)} {local_digits(self.year)}" if self.month else ""

    def name(self) -> str:
        """«6 كانون الأول 2026», «كانون الأول 2026» or «2026» in the page's language."""
        if self.day:
            return format_date(self.first)
        return self.month_label or local_digits(self.year)


def month_name(month: int) -> str:
    if not is_arabic():
        return formats.date_format(date(2000, month, 1), "F")
    months = EGYPTIAN_MONTHS if settings.NEWSROOM_MONTH_NAMES == "egyptian" else LEVANTINE_MONTHS
    return months[month - 1]


def weekday_names() -> list[tuple[str, str]]:
    """Saturday to Friday in the page's language (1 January 2000 was a Saturday), each as its
    full name and its short one («السبت», «سبت»; "Saturday", "Sat") for narrow screens."""
    days = [date(2000, 1, 1 + n) for n in range(7)]
    return [(formats.date_format(day, "l"), formats.date_format(day, "D")) for day in days]


def month_weeks(year: int, month: int) -> list[list[date | None]]:
    """The month's weeks from Saturday, as the Levant's calendars print them."""
    import calendar

    weeks = calendar.Calendar(firstweekday=calendar.SATURDAY).monthdatescalendar(year, month)
    return [[day if day.month == month else None for day in week] for week in weeks]

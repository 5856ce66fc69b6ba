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

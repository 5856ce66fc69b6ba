from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from articles.dates import format_date, local_digits

DAMASCUS = ZoneInfo("Asia/Damascus")


def test_levantine_month_names_by_default():
    with translation.override("ar"):
        assert format_date(datetime(2017, 4, 27, 10, tzinfo=DAMASCUS)) == "27 نيسان 2017"
        assert format_date(datetime(2017, 1, 3, 10, tzinfo=DAMASCUS)) == "3 كانون الثاني 2017"


def test_egyptian_month_names_by_setting(settings):
    settings.NEWSROOM_MONTH_NAMES = "egyptian"
    with translation.override("ar"):
        assert format_date(datetime(2017, 4, 27, 10, tzinfo=DAMASCUS)) == "27 أبريل 2017"


def test_arabic_indic_digits_by_setting(settings):
    settings.NEWSROOM_DIGITS = "arabic-indic"
    with translation.override("ar"):
        assert format_date(datetime(2017, 4, 27, 10, tzinfo=DAMASCUS)) == "٢٧ نيسان ٢٠١٧"
        assert local_digits(7529) == "٧٥٢٩"
    with translation.override("en"):
        assert local_digits(7529) == "7529"


def test_hijri_date_beside_gregorian(settings):
    settings.NEWSROOM_SHOW_HIJRI = True
    with translation.override("ar"):
        text = format_date(datetime(2017, 4, 27, 10, tzinfo=DAMASCUS))
    assert text.startswith("27 نيسان 2017 (")
    assert "1 شعبان 1438 هـ" in text


def test_english_dates():
    with translation.override("en"):
        assert format_date(datetime(2017, 4, 27, 10, tzinfo=DAMASCUS)) == "27 April 2017"

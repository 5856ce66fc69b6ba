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


def test_what_django_itself_writes_follows_the_site_in_arabic():
    """The desk's dates (Django's own formats, its date picker) read as the site's do;
    Django's Arabic would write «نوفمبر 25، 2026، 10:44 م»."""
    from django.utils import formats

    moment = datetime(2017, 4, 27, 10, 5)
    with translation.override("ar"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "27 نيسان 2017 - 10:05"
        assert formats.date_format(moment.date()) == "27 نيسان 2017"
        assert formats.date_format(moment, "MONTH_DAY_FORMAT") == "27 نيسان"
    with translation.override("en"):
        assert formats.date_format(moment.date()) == "April 27, 2017"


def test_the_date_picker_has_the_same_month_names(admin_client):
    catalogue = admin_client.get("/ar/admin/jsi18n/").content.decode()
    escaped = "تشرين الثاني".encode("ascii", "backslashreplace").decode()  # \u062a…
    assert f'"November": "{escaped}"' in catalogue or '"November": "تشرين الثاني"' in catalogue


def test_egyptian_month_names_leave_djangos_own(settings):
    from django.utils import formats

    settings.LOCALE_PATHS = [path for path in settings.LOCALE_PATHS if "levantine" not in str(path)]
    with translation.override("ar"):
        assert formats.date_format(datetime(2017, 4, 27), "j F Y") == "27 إبريل 2017"  # Django's

"""Arabic date formats for what Django itself writes (the desk's dates and times), in the
site's order: «25 تشرين الثاني 2026 - 22:45» (articles/dates.py writes the site's own).
Django's Arabic module has no DATETIME_FORMAT, so it used the US "N j, Y, P"; whatever is
not set here (input formats) still comes from it.

Numbers: the decimal point and thousands comma of Arabic written in Latin digits, as in
Syria (CLDR's ar-SY with latn digits): Django's Arabic «37,7» reads as a list of two."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y - H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","

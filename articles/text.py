"""Arabic text handling: normalisation for search, cleaning of reader input, unicode slugs.

PostgreSQL's ``arabic`` text-search configuration stems words but does not fold spelling
variants, and the embedded server has no ``unaccent``; so the folding is ours, written
once here and applied to stored text and to queries alike.
"""

import re
import unicodedata

from django.utils.text import slugify

TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
TATWEEL = "\u0640"
# Invisible characters that can reorder or hide text: bidi embeddings/overrides/isolates,
# zero-width characters and marks, BOM, NUL and other C0/C1 controls (tab/newline kept).
INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic (Persian) digits
    }
)
ARABIC_INDIC_DIGITS = str.maketrans({str(d): chr(0x0660 + d) for d in range(10)})


def normalize_arabic(text: str) -> str:
    """Fold Arabic spelling variants so «الأجانب», «الاجانب» and «الأجانـب» compare equal."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE.sub("", text)
    text = TASHKEEL.sub("", text).replace(TATWEEL, "")
    return text.translate(_FOLD)


# Arabic and Latin letters, to judge a text's script (a column kept once for both editions,
# a query typed on the other edition's site, a search term worth folding).
ARABIC_LETTER = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def written_in_arabic(text) -> bool:
    """Whether ``text``'s letters are mostly Arabic."""
    text = "" if text is None else str(text)
    return len(ARABIC_LETTER.findall(text)) > len(LATIN_LETTER.findall(text))


# Each folded letter and the spellings it stands for, for matching stored text as typed.
_VARIANTS = {"ا": "اأإآٱ", "ه": "هة", "ي": "يىئ", "و": "وؤ"}


def variants_pattern(query: str) -> str:
    """A PostgreSQL regular expression matching ``query`` in any of its spelling variants
    («سياسه» matches «سياسة», «اخبار» matches «أخبار»), for columns that keep no folded copy
    (the desk's smaller lists: sections, story files, redirects, live entries). Tashkeel and
    tatweel in the stored text may sit between any two letters."""
    folded = normalize_arabic(query)
    between = "[\u0640\u064b-\u0652]*"
    parts = []
    for letter in folded:
        choices = _VARIANTS.get(letter)
        parts.append(f"[{choices}]" if choices else re.escape(letter))
    return between.join(parts)


def _leading_label(*words: str) -> re.Pattern:
    """A label typed at the start of a text, followed by its separator («تصوير:», «عاجل |»)."""
    alternatives = "|".join(words)
    return re.compile(rf"^\s*(?:{alternatives})\s*[:：\-–—|]\s*", re.IGNORECASE)


def _without(label: re.Pattern, text) -> str:
    """``text`` without ``label`` at its start; the text as it is when nothing else is left."""
    text = "" if text is None else str(text).strip()
    return label.sub("", text) or text


# A credit typed with the word the page already puts before it: «تصوير: فلان» read
# «تصوير: تصوير: فلان». The names only: «Photo by», «بعدسة», «المصدر» are not ours to drop.
_CREDIT_WORD = _leading_label("تصوير", "photo", "photograph", "credit")
# A headline typed with the label every breaking-news place puts before it: the ticker, the
# home page's breaking list, the alerts, the Telegram post, the digest's subject.
_BREAKING_WORD = _leading_label("عاجل", "breaking")


def bare_credit(credit) -> str:
    """A photo credit without a leading «تصوير:» («Photo:»), which the pages and feeds add
    in the reader's language; the credit as it is when nothing else is left."""
    return _without(_CREDIT_WORD, credit)


def bare_headline(title) -> str:
    """A breaking headline without a leading «عاجل:» («Breaking:», «عاجل |»), for the places
    that say «عاجل» before it themselves: never «عاجل: عاجل: حريق…»."""
    return _without(_BREAKING_WORD, title)


def fold_digits(text: str) -> str:
    """Arabic-Indic digits to ASCII, so every input accepts both."""
    return text.translate(_FOLD_DIGITS) if text else text


_FOLD_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)


def to_arabic_indic(text: str) -> str:
    return str(text).translate(ARABIC_INDIC_DIGITS)


# The joiners (U+200C, U+200D) build what a reader sees as one sign: an emoji sequence
# («👨‍👩‍👧» is three people joined), a Persian word's break. Between two visible characters they
# stay; anywhere else they hide nothing a reader needs, and go (search folds them away).
_INVISIBLE_BUT_JOINERS = re.compile(
    "[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_LOOSE_JOINERS = re.compile(r"(?<!\S)[\u200c\u200d]+|[\u200c\u200d]+(?!\S)")
_REPEATED_JOINERS = re.compile(r"([\u200c\u200d])[\u200c\u200d]+")


def strip_invisible(text: str) -> str:
    """Remove bidi overrides, zero-width and control characters from reader input; a joiner
    between two visible characters stays (one, where several were typed)."""
    if not text:
        return text
    text = _INVISIBLE_BUT_JOINERS.sub("", text)
    return _REPEATED_JOINERS.sub(r"\1", _LOOSE_JOINERS.sub("", text))


# What no stored text keeps, whoever typed it (the desk, an import, the API): C0 and C1
# control characters but tab and line breaks (XML 1.0 cannot carry them: one pasted into a
# title made the feeds fail), the bidi embeddings and overrides (U+202A-U+202E: «gnp.exe»
# shown as «exe.png») and the BOM. Editors keep the marks and isolates (U+200E, U+200F,
# U+061C, U+2066-U+2069) that set mixed Arabic and English text right; readers' input loses
# those too (``strip_invisible``).
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\ufeff]")


def neutralise(text: str) -> str:
    """``text`` without the characters no stored text keeps (``UNSTORABLE``)."""
    return UNSTORABLE.sub("", text) if text else text


class NeutralisedItems:
    """For a feed generator (Django's ``SyndicationFeed``): items without the characters XML
    1.0 cannot carry (``neutralise``), so text stored before they were refused at saving does
    not fail the whole feed. Every feed of the site uses it."""

    def add_item(self, *args, **kwargs):
        def clean(value):
            if isinstance(value, str):
                return neutralise(value)
            if isinstance(value, list | tuple):
                return type(value)(clean(each) for each in value)
            return value

        args = [clean(value) for value in args]
        return super().add_item(*args, **{name: clean(value) for name, value in kwargs.items()})


_text_fields_of: dict[type, tuple[str, ...]] = {}


def neutralise_text_fields(sender, instance, raw=False, **kwargs) -> None:
    """``pre_save`` of every model: its text columns neutralised (``neutralise``), whatever
    form, import or command wrote them (fixtures, ``raw``, are loaded as they are)."""
    if raw:
        return
    names = _text_fields_of.get(sender)
    if names is None:
        from django.db import models

        names = _text_fields_of[sender] = tuple(
            field.attname
            for field in sender._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        )
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, str) and UNSTORABLE.search(value):
            setattr(instance, name, UNSTORABLE.sub("", value))


def is_blank(text: str) -> bool:
    """True when nothing visible is left: only spaces, invisible marks or tatweel."""
    return not strip_invisible(text or "").replace(TATWEEL, "").strip()


def unicode_slug(text: str, fallback: str = "article") -> str:
    """A readable unicode slug from an Arabic (or any) title; never empty."""
    cleaned = TASHKEEL.sub("", strip_invisible(text or "")).replace(TATWEEL, "")
    slug = slugify(cleaned, allow_unicode=True)[:80].strip("-")
    return slug or fallback


def validate_readable_slug(value: str) -> None:
    """A slug that names something: at least one letter or digit. Tatweel («ـ») alone, or
    hyphens and underscores, pass Django's unicode slug check and make an address nobody can
    read or type."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if value and not re.search(r"[^\W_]", value.replace(TATWEEL, "")):
        raise ValidationError(
            _("The address must hold at least one letter or digit."), code="unreadable_slug"
        )


# Markup typed (or pasted from a page's source) into a plain-text field: a tag, or an entity
# such as &amp; or &#8211;. Shown as typed in titles, leads and meta tags, they are garbage to
# readers and search engines («عنوان &amp; <i>مائل</i>»). «أسعار < 100» is no tag.
TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def validate_plain_text(value: str) -> None:
    """Refuse HTML tags and entities in a plain-text field, in Arabic, naming what to change;
    the editor's text comes back in the form to correct."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not value:
        return
    tag = TAG.search(value)
    if tag:
        raise ValidationError(
            _("This field takes plain text: remove the HTML tag %(tag)s (it would show as typed).")
            % {"tag": tag.group(0)[:40]},
            code="markup",
        )
    entity = ENTITY.search(value)
    if entity:
        raise ValidationError(
            _(
                "Write the character itself instead of the HTML code %(code)s "
                "(it would show as typed)."
            )
            % {"code": entity.group(0)},
            code="entity",
        )


def check_plain_texts(obj, names) -> None:
    """Refuse, per field and in Arabic, a tag or entity in ``obj``'s plain-text fields
    ``names`` (alt texts, captions, credits, titles: they show as typed on pages, feeds and
    JSON-LD); for a model's ``clean()``."""
    from django.core.exceptions import ValidationError

    errors = {}
    for name in names:
        try:
            validate_plain_text(getattr(obj, name, "") or "")
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)

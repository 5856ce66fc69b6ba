"""Share cards: the 1200×630 picture a shared link shows when the article has no photo.

The card is drawn by Pillow with the Raqm layout engine (libraqm: the Arabic letters joined,
the line laid out right to left, FriBiDi for any Latin or digits in it) in the site's own
font (Noto Naskh Arabic, read from ``static/fonts``: Pillow's FreeType reads WOFF2), with the
headline broken into lines, the outlet's name and the article's section. Noto Naskh Arabic
has no Latin letters, and Pillow has no font fallback: a Latin word in a headline («قمة G20»)
would come out as empty boxes, so each run of Latin script is drawn in Noto Sans, left to
right, in its place in the right-to-left line (``runs``, ``draw_line``). Like the photo
renditions it is drawn once and kept in the media storage, under a name that carries its
language and a digest of what it shows (``renditions/cards/<id>-<language>-<digest>.png``):
a new headline, section or outlet name makes a new name, so the card is drawn again and the
old one removed, and a crawler never gets a stale card from a cache. It is drawn the first
time someone asks for it (``/a/<id>/card-<digest>.png``, ``/a/<id>/en/card-<digest>.png``),
not when the article is saved: an archive of a hundred thousand articles is not drawn at
import.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FOLDER = "renditions/cards"
VERSION = 2  # bump when the drawing changes: every card is drawn again
FONT = "NotoNaskhArabic-Bold.woff2"
FONT_REGULAR = "NotoNaskhArabic-Regular.woff2"
# Noto Sans's Latin subset (@fontsource/noto-sans 5.3.0, SIL OFL) for the Latin runs.
LATIN_FONTS = {FONT: "NotoSans-Bold-latin.woff2", FONT_REGULAR: "NotoSans-Regular-latin.woff2"}
BACKGROUND, INK, ACCENT, MUTED = "#1f1f1f", "#ffffff", "#9b1c1c", "#d6d6d6"
HEADLINE_SIZES = (68, 62, 56, 50, 46)  # the largest at which the headline fits
MAX_LINES = 4
TEXT = {"direction": "rtl", "language": "ar", "features": ["kern", "liga", "calt"]}
LATIN_TEXT = {"direction": "ltr", "language": "en", "features": ["kern", "liga"]}
_LATIN = "A-Za-z\u00c0-\u024f"
# A Latin word and the Latin words, digits and inner marks that follow it: «G20»,
# «COVID-19», «World Health Organization», «AT&T».
LATIN_RUN = re.compile(rf"[{_LATIN}][{_LATIN}0-9]*(?:[ '’.&+\-/]?[{_LATIN}0-9]+)*")
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
ARABIC_RUN = re.compile(rf"[{_ARABIC}][{_ARABIC}0-9]*(?:[ .\-/]?[{_ARABIC}0-9]+)*")


class CardUnavailable(Exception):
    """This Pillow cannot lay Arabic out (no libraqm): no card rather than a wrong one."""


def unavailable_reason() -> str:
    """Why cards cannot be drawn here, or ''."""
    if not features.check("raqm"):
        return (
            "Pillow has no Raqm layout (libraqm is missing: apt-get install libraqm0): "
            "Arabic would be drawn unjoined and left to right"
        )
    return ""


@lru_cache(maxsize=16)
def font(size: int, name: str = FONT) -> ImageFont.FreeTypeFont:
    path = settings.BASE_DIR / "static" / "fonts" / name
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def runs(text: str, rtl: bool = True) -> list[tuple[str, bool]]:
    """``text`` cut into pieces in reading order, each with whether it is Latin. On a card
    read right to left, the Latin runs are cut out of the Arabic; on one read left to right,
    the Arabic runs out of the Latin (the spaces, digits and marks between take the card's
    own direction)."""
    island = LATIN_RUN if rtl else ARABIC_RUN
    pieces, start = [], 0
    for found in island.finditer(text):
        if found.start() > start:
            pieces.append((text[start : found.start()], not rtl))
        pieces.append((found.group(), rtl))
        start = found.end()
    if start < len(text):
        pieces.append((text[start:], not rtl))
    return pieces


def face_for(face: ImageFont.FreeTypeFont, latin: bool) -> ImageFont.FreeTypeFont:
    """``face`` (Noto Naskh Arabic) itself, or for Latin Noto Sans at its size and weight."""
    if not latin:
        return face
    return font(face.size, LATIN_FONTS[os.path.basename(face.path)])


def text_length(text: str, face: ImageFont.FreeTypeFont, rtl: bool = True) -> float:
    """The laid-out width of ``text``: its Arabic in ``face``, its Latin in Noto Sans."""
    return sum(
        face_for(face, latin).getlength(piece, **(LATIN_TEXT if latin else TEXT))
        for piece, latin in runs(text, rtl)
    )


def placed_pieces(start_top: tuple[int, int], text: str, face, rtl: bool = True) -> list:
    """Where each piece of ``text`` goes when the line starts at ``start_top`` (its right
    end on a right-to-left card, its left end else; at its ascender's height): (position,
    piece, font, anchor, layout options), in reading order, on one baseline. A line in one
    script is one piece: Raqm lays it out whole."""
    pieces = runs(text, rtl)
    if len(pieces) == 1:
        ((piece, latin),) = pieces
        options = LATIN_TEXT if latin else TEXT
        return [(start_top, piece, face_for(face, latin), "ra" if rtl else "la", options)]
    x, top = start_top
    baseline = top + face.getmetrics()[0]
    placed = []
    for piece, latin in pieces:
        shown, options = face_for(face, latin), LATIN_TEXT if latin else TEXT
        placed.append(((x, baseline), piece, shown, "rs" if rtl else "ls", options))
        width = shown.getlength(piece, **options)
        x = x - width if rtl else x + width
    return placed


def draw_line(draw, start_top: tuple[int, int], text: str, face, fill, rtl=True) -> None:
    for position, piece, shown, anchor, options in placed_pieces(start_top, text, face, rtl):
        draw.text(position, piece, font=shown, fill=fill, anchor=anchor, **options)


def line_box(draw, start_top: tuple[int, int], text: str, face, rtl: bool = True) -> tuple:
    """The box ``draw_line`` would cover."""
    boxes = [
        draw.textbbox(position, piece, font=shown, anchor=anchor, **options)
        for position, piece, shown, anchor, options in placed_pieces(start_top, text, face, rtl)
    ]
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def card_language(article, language: str | None = None) -> str:
    """The language of ``article``'s card on a page in ``language``: that language when the
    article has its own headline in it, else the site's (an Arabic-only article shown on the
    English edition keeps its Arabic card)."""
    language = language or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE and not getattr(article, f"title_{language}", None):
        return settings.LANGUAGE_CODE
    return language


def card_text(article, language: str | None = None) -> dict:
    """What the card shows, in the card's language (``card_language``): the headline, the
    section and the outlet's name."""
    language = card_language(article, language)
    with translation.override(language):
        return {
            "headline": " ".join(article.title.split()),
            "section": article.section.name if article.section_id else "",
            "outlet": settings.SITE_NAME,
            "language": language,
        }


def card_digest(text: dict) -> str:
    raw = json.dumps({**text, "version": VERSION}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def card_path(article_id: int, language: str, digest: str) -> str:
    """The card's URL path: ``/a/<id>/card-<digest>.png`` in the site's language,
    ``/a/<id>/<language>/card-<digest>.png`` in another."""
    if language == settings.LANGUAGE_CODE:
        return reverse("share_card", kwargs={"pk": article_id, "digest": digest})
    return reverse(
        "share_card_in", kwargs={"pk": article_id, "language": language, "digest": digest}
    )


def card_name(article_id: int, language: str, digest: str) -> str:
    return f"{FOLDER}/{article_id}-{language}-{digest}.png"


def break_lines(text: str, face, width: int, rtl: bool = True) -> list[str]:
    """Words in reading order, as many on each line as its laid-out width allows."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_length(candidate, face, rtl) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def fit_headline(headline: str, width: int, rtl: bool = True) -> tuple:
    """The largest size at which the headline takes at most ``MAX_LINES`` lines (at the
    smallest, the rest is cut at a word with an ellipsis)."""
    for size in HEADLINE_SIZES:
        face = font(size)
        lines = break_lines(headline, face, width, rtl)
        if len(lines) <= MAX_LINES:
            return face, lines
    lines = lines[:MAX_LINES]
    last = lines[-1].split()
    while len(last) > 1 and text_length(" ".join(last) + " …", face, rtl) > width:
        last.pop()
    lines[-1] = " ".join(last) + " …"
    return face, lines


def layout_headline(headline: str, rtl: bool = True):
    """The headline's face and its lines, each with the point its start is drawn at: the
    right end on a right-to-left card (anchor "ra"), the left end else."""
    face, lines = fit_headline(headline, WIDTH - 2 * MARGIN, rtl)
    line_height = round(face.size * 1.55)
    top = 150 + (HEIGHT - 60 - 150 - line_height * len(lines)) // 2
    start = WIDTH - MARGIN if rtl else MARGIN
    return face, [(line, (start, top + n * line_height)) for n, line in enumerate(lines)]


def draw_card(headline: str, section: str, outlet: str, language: str = "ar") -> Image.Image:
    """The card's pixels: the outlet and the section at the top, the headline below them,
    a bar in the site's accent colour along the bottom; laid out from the right in Arabic
    (the outlet on the right, the section on the left), from the left in English."""
    reason = unavailable_reason()
    if reason:
        raise CardUnavailable(reason)
    rtl = translation.get_language_info(language)["bidi"]
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    near, far = (WIDTH - MARGIN, MARGIN) if rtl else (MARGIN, WIDTH - MARGIN)
    draw_line(draw, (near, 56), outlet, font(40), INK, rtl)
    if section:
        label = font(30, FONT_REGULAR)
        # At the far margin: the line starts its width away from it.
        width = round(text_length(section, label, rtl))
        at = (far + width if rtl else far - width, 66)
        box = line_box(draw, at, section, label, rtl)
        draw.rounded_rectangle(
            (box[0] - 18, box[1] - 10, box[2] + 18, box[3] + 12), radius=10, fill=ACCENT
        )
        draw_line(draw, at, section, label, INK, rtl)
    draw.line((MARGIN, 140, WIDTH - MARGIN, 140), fill=MUTED, width=2)
    face, placed = layout_headline(headline, rtl)
    for line, position in placed:
        draw_line(draw, position, line, face, INK, rtl)
    draw.rectangle((0, HEIGHT - 24, WIDTH, HEIGHT), fill=ACCENT)
    return image


def ensure_card(article, language: str | None = None) -> str:
    """The storage name of ``article``'s current card in ``language`` (``card_language``),
    drawn now if it is not kept yet (and that language's cards for its earlier headlines
    removed)."""
    text = card_text(article, language)
    name = card_name(article.pk, text["language"], card_digest(text))
    if default_storage.exists(name):
        return name
    buffer = io.BytesIO()
    draw_card(**text).save(buffer, "PNG", optimize=True)
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        files = []
    prefix = f"{article.pk}-{text['language']}-"
    for old in files:
        if old.startswith(prefix) and f"{FOLDER}/{old}" != name:
            default_storage.delete(f"{FOLDER}/{old}")
    if default_storage.exists(name):  # drawn meanwhile by another request
        return name
    return default_storage.save(name, ContentFile(buffer.getvalue()))

"""Small factories for tests: each call makes valid, saved objects with sensible defaults."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Section

_counter = itertools.count(1)


def make_section(name=None, **fields):
    return Section.objects.create(name_ar=name or f"قسم {next(_counter)}", **fields)


def make_author(name=None, kind=Author.Kind.PERSON, **fields):
    return Author.objects.create(name_ar=name or f"كاتب {next(_counter)}", kind=kind, **fields)


def make_article(
    title=None, *, section=None, authors=None, published=True, ago=timedelta(hours=1), **fields
):
    fields.setdefault("body_ar", "<p>نص الخبر للاختبار.</p>")
    article = Article.objects.create(
        title_ar=title or f"خبر رقم {next(_counter)}",
        section=section or make_section(),
        status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
        published_at=timezone.now() - ago if published else None,
        **fields,
    )
    for position, author in enumerate(authors if authors is not None else [make_author()]):
        Byline.objects.create(article=article, author=author, position=position)
    return article


def image_upload(name="photo.jpg", fmt="JPEG", size=(800, 600), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (120, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")

"""The OpenAPI 3.1 description of /api/v1/, written out by hand: the API is small and
read-only, and a written schema says exactly what is promised (tests check that every route
is described and that the examples it names answer as described)."""

from __future__ import annotations

from api.params import ARTICLE_FILTERS, DEFAULT_LIMIT, MAX_LIMIT
from discovery.search import MAX_QUERY_LENGTH, MIN_QUERY_LETTERS

CURSOR_MAX_LENGTH = 500  # api/params.py PageForm.cursor

LANG = {
    "name": "lang",
    "in": "query",
    "description": "ar or en (else Accept-Language, else ar); any other value is refused "
    "with 400. English texts fall back to Arabic where an article is not translated; "
    "`language` says which you got.",
    "schema": {"type": "string", "enum": ["ar", "en"]},
}
CURSOR = {
    "name": "cursor",
    "in": "query",
    "description": "Opaque: the `next_cursor` of the previous page, passed back unchanged; "
    "absent or empty, the first page. Any other value is refused with 400.",
    "schema": {"type": "string", "maxLength": CURSOR_MAX_LENGTH},
}
LIMIT = {
    "name": "limit",
    "in": "query",
    "description": f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
}


def query(name: str, description: str, **schema) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": schema or {"type": "string"},
    }


def path_id(what: str) -> dict:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "description": f"The {what}'s stable id.",
        "schema": {"type": "integer"},
    }


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "results": {"type": "array", "items": ref(name)},
            "next": {"type": ["string", "null"], "format": "uri"},
            "next_cursor": {"type": ["string", "null"]},
        },
    }


def answer(schema: dict, description: str = "OK") -> dict:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "304": {"description": "Not modified (If-None-Match / If-Modified-Since)."},
        "400": {
            "description": "A malformed parameter, a cursor not from a previous answer, or a "
            "slug that names nothing (`fields` says which).",
            "content": {"application/json": {"schema": ref("Error")}},
        },
        "429": {
            "description": "Too many requests: see Retry-After.",
            "content": {"application/json": {"schema": ref("Error")}},
        },
    }


def operation(operation_id: str, summary: str, parameters: list, schema: dict, **extra) -> dict:
    responses = answer(schema)
    if extra.pop("not_found", False):
        responses["404"] = {
            "description": "No such published object.",
            "content": {"application/json": {"schema": ref("Error")}},
        }
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": [LANG, *parameters],
            "responses": responses,
            **extra,
        }
    }


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
URI = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}

COMPONENTS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": STRING,
            "fields": {"type": "object", "additionalProperties": {"type": "array"}},
            "retry_after": {"type": "integer"},
        },
    },
    "SectionRef": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "slug": STRING, "name": STRING, "url": URI},
    },
    "Section": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "slug": STRING,
            "name": STRING,
            "description": STRING,
            "url": URI,
        },
    },
    "AuthorRef": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "slug": STRING,
            "name": STRING,
            "kind": {"type": "string", "enum": ["person", "team"]},
            "url": URI,
        },
    },
    "Author": {
        "allOf": [
            ref("AuthorRef"),
            {
                "type": "object",
                "properties": {
                    "bio": STRING,
                    "photo": {"type": ["string", "null"], "format": "uri"},
                },
            },
        ]
    },
    "Rendition": {
        "type": "object",
        "properties": {
            "width": {"type": "integer"},
            "height": {"type": "integer"},
            "webp": URI,
            "jpeg": URI,
        },
    },
    "Image": {
        "type": ["object", "null"],
        "properties": {
            "alt": STRING,
            "caption": STRING,
            "credit": STRING,
            "renditions": {"type": "array", "items": ref("Rendition")},
        },
    },
    "ArticleCard": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "slug": STRING,
            "url": URI,
            "language": {"type": "string", "enum": ["ar", "en"]},
            "title": STRING,
            "lead": STRING,
            "section": ref("SectionRef"),
            "bylines": {"type": "array", "items": ref("AuthorRef")},
            "published_at": DATE_TIME,
            "updated_at": DATE_TIME,
            "is_breaking": {"type": "boolean"},
            "image": ref("Image"),
        },
    },
    "TopicRef": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "slug": STRING, "name": STRING, "url": URI},
    },
    "Topic": {
        "allOf": [ref("TopicRef"), {"type": "object", "properties": {"description": STRING}}]
    },
    "LiveEntry": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "posted_at": DATE_TIME,
            "edited_at": {"type": ["string", "null"], "format": "date-time"},
            "body_html": STRING,
            "is_breaking": {"type": "boolean"},
            "is_pinned": {"type": "boolean"},
            "author": {"oneOf": [ref("AuthorRef"), {"type": "null"}]},
            "image": {"type": ["object", "null"]},
        },
    },
    "StoryFile": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "slug": STRING,
            "title": STRING,
            "description": STRING,
            "url": URI,
        },
    },
    "StoryFileWithArticles": {
        "allOf": [
            ref("StoryFile"),
            {
                "type": "object",
                "properties": {"articles": {"type": "array", "items": ref("ArticleCard")}},
            },
        ]
    },
    "Correction": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["correction", "clarification"]},
            "text": STRING,
            "created_at": DATE_TIME,
        },
    },
    "Embed": {
        "type": "object",
        "description": "A provider's post or player: never the provider's HTML.",
        "properties": {
            "url": URI,
            "provider": STRING,
            "kind": {"type": "string", "enum": ["video", "post", "audio"]},
            "status": {
                "type": "string",
                "enum": ["ok", "card"],
                "description": "ok: a player after the reader's click; card: a link card.",
            },
            "title": STRING,
            "author_name": STRING,
            "player_url": {"oneOf": [URI, {"type": "null"}]},
            "thumbnail": {"type": "array", "items": ref("Rendition")},
        },
    },
    "Gallery": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": STRING,
            "images": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "alt": STRING,
                        "caption": STRING,
                        "credit": STRING,
                        "focal_point": {
                            "type": "object",
                            "properties": {
                                "x": {"type": "integer", "minimum": 0, "maximum": 100},
                                "y": {"type": "integer", "minimum": 0, "maximum": 100},
                            },
                        },
                        "renditions": {"type": "array", "items": ref("Rendition")},
                    },
                },
            },
        },
    },
    "Article": {
        "allOf": [
            ref("ArticleCard"),
            {
                "type": "object",
                "properties": {
                    "short_url": {**URI, "description": "/a/<id>: a link that never changes."},
                    "topics": {"type": "array", "items": ref("TopicRef")},
                    "source": STRING,
                    "body_html": {"type": "string", "description": "Sanitised HTML."},
                    "corrections": {"type": "array", "items": ref("Correction")},
                    "embeds": {
                        "type": "array",
                        "items": ref("Embed"),
                        "description": "The provider links the body shows as embeds, in "
                        "order (a link alone on its paragraph).",
                    },
                    "galleries": {
                        "type": "array",
                        "items": ref("Gallery"),
                        "description": "Galleries placed in the body ([gallery <id>]).",
                    },
                    "lead_gallery": {"oneOf": [ref("Gallery"), {"type": "null"}]},
                },
            },
        ]
    },
    "SearchHit": {
        "allOf": [
            ref("ArticleCard"),
            {
                "type": "object",
                "properties": {
                    "title_html": STRING,
                    "snippet_html": {
                        "type": "string",
                        "description": "Escaped text, matched words in <mark>.",
                    },
                },
            },
        ]
    },
    "MostReadEntry": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "slug": STRING,
            "url": URI,
            "title": STRING,
            "section_id": {"type": "integer"},
            "views": {"type": "integer"},
        },
    },
}


def paths() -> dict:
    filters = [
        query(f.name, f"{f.description} It must name an existing one, else 400.")
        for f in ARTICLE_FILTERS
    ]
    existing_section = "A section's slug; it must name an existing section, else 400."
    return {
        "/articles/": operation(
            "listArticles",
            "Published articles, newest first.",
            [*filters, CURSOR, LIMIT],
            page_of("ArticleCard"),
        ),
        "/articles/{id}/": operation(
            "getArticle",
            "One published article: body, bylines, image, corrections.",
            [path_id("article")],
            ref("Article"),
            not_found=True,
        ),
        "/sections/": operation(
            "listSections",
            "Every section, in the editors' order.",
            [],
            {
                "type": "object",
                "properties": {"results": {"type": "array", "items": ref("Section")}},
            },
        ),
        "/sections/{id}/": operation(
            "getSection", "One section.", [path_id("section")], ref("Section"), not_found=True
        ),
        "/authors/": operation(
            "listAuthors", "Authors (persons and teams).", [CURSOR, LIMIT], page_of("Author")
        ),
        "/authors/{id}/": operation(
            "getAuthor", "One author.", [path_id("author")], ref("Author"), not_found=True
        ),
        "/topics/": operation(
            "listTopics", "Topics (tags), one per folded name.", [CURSOR, LIMIT], page_of("Topic")
        ),
        "/topics/{id}/": operation(
            "getTopic", "One topic.", [path_id("topic")], ref("Topic"), not_found=True
        ),
        "/files/": operation(
            "listStoryFiles", "Story files («ملف»).", [CURSOR, LIMIT], page_of("StoryFile")
        ),
        "/files/{id}/": operation(
            "getStoryFile",
            "One story file with its published articles in the editors' order.",
            [path_id("story file")],
            ref("StoryFileWithArticles"),
            not_found=True,
        ),
        "/live/{id}/entries/": operation(
            "listLiveEntries",
            "A published article's live coverage (its id is the article's): state and "
            "entries, newest first.",
            [path_id("article"), CURSOR, LIMIT],
            {
                "type": "object",
                "properties": {
                    "article": URI,
                    "live": {"type": "boolean"},
                    "started_at": DATE_TIME,
                    "ended_at": {"type": ["string", "null"], "format": "date-time"},
                    "results": {"type": "array", "items": ref("LiveEntry")},
                    "next": {"type": ["string", "null"], "format": "uri"},
                    "next_cursor": NULLABLE_STRING,
                },
            },
            not_found=True,
        ),
        "/most-read/": operation(
            "mostRead",
            "The most read articles of a period, site-wide or in a section.",
            [
                query(
                    "period",
                    "day (default), week, month or all.",
                    type="string",
                    enum=["day", "week", "month", "all"],
                ),
                query("section", existing_section),
            ],
            {
                "type": "object",
                "properties": {
                    "period": STRING,
                    "section": NULLABLE_STRING,
                    "results": {"type": "array", "items": ref("MostReadEntry")},
                },
            },
        ),
        "/search/": operation(
            "search",
            "Full-text search with the site's Arabic folding (hamza, taa marbuta, tashkeel, "
            "tatweel); best first, at most 200 results.",
            [
                {
                    **query(
                        "q",
                        f"The words to find: required, at most {MAX_QUERY_LENGTH} characters "
                        f"and at least {MIN_QUERY_LETTERS} letters (not only spaces or "
                        "punctuation), else 400.",
                        type="string",
                        minLength=MIN_QUERY_LETTERS,
                        maxLength=MAX_QUERY_LENGTH,
                    ),
                    "required": True,
                },
                query("section", existing_section),
                query("date_from", "YYYY-MM-DD", type="string", format="date"),
                query("date_to", "YYYY-MM-DD", type="string", format="date"),
                CURSOR,
                LIMIT,
            ],
            {
                "type": "object",
                "properties": {
                    "count": {"type": "integer"},
                    "results": {"type": "array", "items": ref("SearchHit")},
                    "next": {"type": ["string", "null"]},
                    "next_cursor": NULLABLE_STRING,
                },
            },
        ),
    }


def schema(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom content API",
            "version": "1.0.0",
            "description": (
                "Read-only and public. Answers carry ETag and Last-Modified (send "
                "If-None-Match or If-Modified-Since for a 304) and Cache-Control for "
                "shared caches. Errors are JSON in the requested language. Rate limits per "
                "client: 429 with Retry-After. Only GET, HEAD and OPTIONS are answered: any "
                "other method gets 405 with Allow."
            ),
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": paths(),
        "components": {"schemas": COMPONENTS},
    }

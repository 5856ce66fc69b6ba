"""Errors as JSON, in the requested language: ``{"error": "…", "fields": {…}}``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response


def error_body(message: str, fields: dict | None = None) -> dict:
    body = {"error": str(message)}
    if fields:
        body["fields"] = {name: [str(text) for text in texts] for name, texts in fields.items()}
    return body


def form_error(form) -> Response:
    """A refused query parameter: the first message on top, every message by parameter."""
    fields = {name: list(errors) for name, errors in form.errors.items()}
    first = next(iter(fields.values()))[0]
    name = next(iter(fields))
    message = first if name == "__all__" else f"{name}: {first}"
    return Response(error_body(message, fields), status=400)


def bad_request(message: str, field: str | None = None) -> Response:
    fields = {field: [message]} if field else None
    return Response(error_body(f"{field}: {message}" if field else message, fields), status=400)


def exception_handler(exc, context):
    """DRF's exceptions (405, 404, 406…) in our shape; anything else is a real 500."""
    if isinstance(exc, exceptions.NotFound):
        return Response(error_body(_("Not found.")), status=404)
    if isinstance(exc, exceptions.MethodNotAllowed):
        response = Response(error_body(_("This API only reads: use GET.")), status=405)
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response
    if isinstance(exc, exceptions.APIException):
        return Response(error_body(exc.detail), status=exc.status_code)
    from django.http import Http404

    if isinstance(exc, Http404):
        return Response(error_body(_("Not found.")), status=404)
    return None

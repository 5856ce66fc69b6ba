"""Bulk loading by PostgreSQL ``COPY`` (psycopg 3's ``cursor.copy()``): rows written into a
model's own table with no model saved, no SQL compiled and no value quoted into it.

Shared by the archive import (archive/importer.py and its parts) and the generated newsrooms of
the benchmarks (demo's ``generate_newsroom``): both import ``articles``, the layer below them
(docs/architecture.md). Nothing here sends signals or keeps versions: the callers write what
those would have written.
"""

from django.db import connection
from django.db.models import FileField, JSONField
from django.db.models.fields import AutoFieldMixin
from psycopg.copy import QueuedLibpqWriter

from articles.text import UNSTORABLE, neutralise


def copy_rows(model, rows: list[dict], *, queued: bool = False) -> None:
    """Write ``rows`` (dicts of field attnames to values) into ``model``'s own table with one
    COPY: no model instances, no SQL compiled, no parameter quoted.

    Fields a row leaves out get their default; an auto id left out is left to its sequence;
    generated columns to PostgreSQL. JSON values are prepared by their field, the rest (str,
    int, bool, aware datetimes, None) are psycopg's to adapt. File fields give their name.
    ``queued``: psycopg sends from a thread, so PostgreSQL parses (and computes the search
    vectors) while Python makes the next rows; for big chunks (the generated newsrooms).
    Text is neutralised as every model's ``pre_save`` does (``articles.text.neutralise``):
    COPY sends no signal, and imported archives carry control characters too.
    """
    if not rows:
        return
    pk, given = model._meta.pk, rows[0].keys()
    fields = [
        field
        for field in model._meta.local_concrete_fields
        if not getattr(field, "generated", False)
        and not (field is pk and isinstance(field, AutoFieldMixin) and pk.attname not in given)
    ]
    plan = [
        (
            field.attname,
            field.get_default(),
            field.get_db_prep_save if isinstance(field, (JSONField, FileField)) else None,
        )
        for field in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        writer = QueuedLibpqWriter(raw) if queued else None
        with raw.copy(sql, writer=writer) as copy:
            for row in rows:
                values = []
                for attname, default, prepare in plan:
                    value = row.get(attname, default)
                    if isinstance(value, str) and UNSTORABLE.search(value):
                        value = neutralise(value)  # as a save would (articles/text.py)
                    values.append(prepare(value, connection) if prepare else value)
                copy.write_row(values)


def reserve_ids(model, count: int) -> list[int]:
    """``count`` ids from the sequence of ``model``'s table, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s::int)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_instances(model, objects: list, *, reserve: bool = True, queued: bool = False) -> None:
    """``bulk_create`` by COPY: each object gets an id from the table's sequence (unless
    ``reserve`` is False: the caller gave them ids from ``reserve_ids``), its fields'
    ``pre_save`` (auto_now times and the like) run as an insert's would, and every row goes
    in one COPY, with no SQL compiled and no value quoted into it. The objects are then saved
    ones (``_state.adding`` False), as after ``bulk_create``. For a model with parents
    (multi-table inheritance), call it once per table of the chain, root first, with the
    same objects: each call writes that table's own columns."""
    if not objects:
        return
    if reserve:
        for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
            obj.pk = pk
    fields = [
        field
        for field in model._meta.local_concrete_fields
        if not getattr(field, "generated", False)
    ]
    copy_rows(
        model,
        [{field.attname: field.pre_save(obj, True) for field in fields} for obj in objects],
        queued=queued,
    )
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def insert_inherited(model, rows: list[dict]) -> None:
    """Write ``rows`` (with their ids) into every table of ``model``'s inheritance chain, root
    table first: what ``save()`` does one row and table at a time, without its queries and
    signals (bulk_create refuses multi-table models)."""
    chain = [model]
    while chain[-1]._meta.parents:
        chain.append(next(iter(chain[-1]._meta.parents)))
    for table_model in reversed(chain):
        copy_rows(table_model, rows)

"""Querysets compiled to SQL once per thread and run again with other values of their parameters.

An article page's miss asks for one row with a query of joins, subqueries and JSON arrays
(``ArticleQuerySet.for_page``): PostgreSQL answers it in a fraction of a millisecond, but
building the queryset and compiling its expressions cost Django about 4 ms of CPU every time
(``tools/bench/render_profile.py --long-tail``). Here the queryset is built and compiled once,
with stand-in values no query is ever made with, and each call runs the same SQL with its
own values in their places; the rows become model instances (``select_related`` objects and
annotations included) exactly as Django's ``ModelIterable`` makes them, converters and all.

A compiled query is kept per thread (a compiler holds its thread's connection) and per
database alias (the router picks it on every call, as for any queryset), under a name and
the values its SQL depends on (e.g. the language: the translated fields' names), which the
caller gives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import UTC, datetime

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.dispatch import receiver

# Values a query is compiled with, found again by value among its parameters (never sent to
# the database): each must differ from every other parameter of the query.
STAND_IN = -7_130_541_209
STAND_IN_SLUG = "compiled-stand-in-7130541209"
STAND_IN_TEXT = "compiled-stand-in-text-7130541209"
STAND_IN_MOMENT = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)

_kept = threading.local()


class CompiledQuery:
    """One queryset's SQL, where each named value goes in its parameters, and what turns its
    rows into instances."""

    def __init__(self, queryset: QuerySet, db: str, stand_ins: dict[str, object]):
        self.db = db
        compiler = queryset.query.get_compiler(using=self.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = {}
        for name, stand_in in stand_ins.items():
            slots = [index for index, value in enumerate(self.params) if _same(value, stand_in)]
            if not slots:
                raise ValueError(f"the stand-in for {name!r} is not among the query's parameters")
            self.slots[name] = slots
        self.compiler = compiler
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [
            column[0].target.attname for column in compiler.select[self.start : self.end]
        ]
        self.populators = get_related_populators(klass_info, compiler.select, self.db)
        self.annotations = dict(compiler.annotation_col_map or {})

    def instances(self, **values) -> list[Model]:
        params = list(self.params)
        for name, slots in self.slots.items():
            for index in slots:
                params[index] = values[name]
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in self.compiler.results_iter([rows]):
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def _same(value, stand_in) -> bool:
    return type(value) is type(stand_in) and value == stand_in


def compiled(
    name: str,
    key: Hashable,
    model: type[Model],
    build: Callable[..., QuerySet],
    **stand_ins,
) -> CompiledQuery:
    """The query ``build(**stand_ins)`` (a queryset of ``model``) compiled for the database
    the router picks now, kept under ``name`` and ``key`` (what its SQL depends on besides the
    values) for this thread. Each stand-in is a value of its parameter's type that no query is
    made with, and that differs from the query's other parameters."""
    kept = getattr(_kept, "queries", None)
    if kept is None:
        kept = _kept.queries = {}
    db = router.db_for_read(model)
    where = (name, key, db)
    query = kept.get(where)
    if query is None or query.compiler.connection is not connections[db]:
        query = kept[where] = CompiledQuery(build(**stand_ins).using(db), db, stand_ins)
    return query


@receiver(setting_changed)
def _forget_compiled(**kwargs):
    """A setting a query is made of may have changed (the languages, the site, a test's
    override): this thread compiles its queries again."""
    _kept.queries = {}

"""Bulk writing for the seed: rows with ids chosen here, so that the seed can link them
before anything is written, then COPY on PostgreSQL (plain multi-row inserts elsewhere).

Rows are dicts of column attribute names (`case_id`, not `case`); a column left out
takes the field's default. Nothing goes through `save()`: no signals, no
django-simple-history rows, and `auto_now` fields take the values given.
"""

import datetime
import hashlib
import io
import json
import operator
import time
from collections import defaultdict

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.db.models.fields import NOT_PROVIDED

FLUSH_AT = 50_000  # rows of one table kept before they are written
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_REQUIRED = object()


def _copy_text(value):
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPE)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):  # datetimes too: ISO with the offset
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value).translate(_ESCAPE)
    raise TypeError(f"Cannot write {value!r}")


class _Table:
    def __init__(self, model):
        self.model = model
        fields = model._meta.concrete_fields
        self.fields = fields
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = {}
        for field in fields:
            if field.primary_key:
                continue
            if field.default is not NOT_PROVIDED:
                self.defaults[field.attname] = field.get_default()
            elif field.null:
                self.defaults[field.attname] = None
            elif field.empty_strings_allowed:  # text left blank
                self.defaults[field.attname] = ""
            else:
                self.defaults[field.attname] = _REQUIRED
        self.rows = []
        self.checked = 0
        self.pk = model._meta.pk.attname
        self.label = model._meta.label
        self.getter = operator.itemgetter(*self.attnames)


class Writer:
    """Collects rows by model and writes them in bulk. `dry_run` writes nothing;
    `digest` keeps a SHA-256 of every row, in order, to show the seed is deterministic."""

    def __init__(self, *, dry_run=False, digest=False):
        self.dry_run = dry_run
        self._hash = hashlib.sha256() if digest else None
        self._tables = {}
        self._next_id = {}
        self.counts = defaultdict(int)
        self.seconds = defaultdict(float)
        self._copy = connection.vendor == "postgresql"

    def new_id(self, model):
        """The id the next row of `model` will have (the table's highest, plus one)."""
        value = self._next_id.get(model)
        if value is None:
            top = model._base_manager.aggregate(top=Max(model._meta.pk.attname))["top"]
            value = (top or 0) + 1
        self._next_id[model] = value + 1
        return value

    def add(self, model, row):
        """Queue one row (a dict by attribute name); returns its id. A row without its
        primary key gets the next one."""
        table = self._tables.get(model)
        if table is None:
            table = self._tables[model] = _Table(model)
        pk = table.pk
        if pk not in row:
            row[pk] = self.new_id(model)
        full = table.defaults.copy()
        full.update(row)
        if table.checked < 200:  # a missing required column is a bug: say so early
            table.checked += 1
            missing = [name for name, value in full.items() if value is _REQUIRED]
            if missing:
                raise ValueError(f"{model._meta.label}: no value for {', '.join(missing)}")
        values = table.getter(full)
        table.rows.append(values)
        if self._hash is not None:
            self._hash.update(f"{table.label}{values!r}".encode())
        if len(table.rows) >= FLUSH_AT:
            self._write(table)
        return row[pk]

    def flush(self):
        for table in self._tables.values():
            self._write(table)

    def _write(self, table):
        rows, table.rows = table.rows, []
        if not rows:
            return
        label = table.model._meta.db_table
        self.counts[label] += len(rows)
        if self.dry_run:
            return
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self._copy:
                text = "\n".join("\t".join(map(_copy_text, values)) for values in rows)
                columns = ", ".join(f'"{c}"' for c in table.columns)
                cursor.copy_expert(
                    f'COPY "{label}" ({columns}) FROM STDIN', io.StringIO(text + "\n")
                )
            else:
                fields = table.fields
                params = [
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
                    for values in rows
                ]
                columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
                marks = ", ".join(["%s"] * len(table.columns))
                # Table and column names from the models, quoted; the values are parameters.
                sql = f"INSERT INTO {connection.ops.quote_name(label)} ({columns}) VALUES ({marks})"  # noqa: S608, E501  # nosec B608
                cursor.executemany(sql, params)
        self.seconds[label] += time.perf_counter() - started

    def finish(self):
        """Write what is left and move each table's id sequence past the ids used."""
        self.flush()
        if self.dry_run:
            return
        models = [table.model for table in self._tables.values()]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    @property
    def digest(self):
        return self._hash.hexdigest() if self._hash is not None else ""

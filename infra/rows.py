"""Model instances from the rows of a hand-written statement, as the ORM would build them.

A few statements run on every attempt of a registration rush (the event with its settings,
the place counters). Composing them through the ORM costs several times what running them
does, and a raw queryset matches columns to fields again on every use. A `RowReader` does
that work once per model and database: the statement selects the model's concrete fields in
their order (`columns()`), and `instance()` passes each value through the field's database
converters, as the ORM does (SQLite returns datetimes as text and booleans as integers;
PostgreSQL returns JSON as text), then builds the instance with `Model.from_db`.
"""

import psycopg
from django.conf import settings
from django.db import connections, models
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from psycopg.pq import Format

# PostgreSQL plans a prepared statement once per connection; only a cursor of
# `planned_cursor` asks for it, Django's own cursors never do (see there).
_PREPARE_ONLY_WHEN_ASKED = 2**31 - 1


def planned_cursor(using: str = "default"):
    """A cursor for the few statements every registration sends (the event, its counters,
    the rows it writes), which PostgreSQL parses and plans once per connection instead of
    on every attempt: they are sent with their parameters apart (server-side binding) and
    prepared at their first use. On a rush that saves about a fifth of a registration's
    CPU, web and database together (benchmarks/registration_cost.py).

    It is Django's cursor wrapper (errors translated, execute wrappers and query logging
    as usual) around a psycopg cursor of that kind. Django's other cursors bind on the
    client and are never prepared: psycopg prepares only what is asked for (the connection's
    threshold is set out of reach). Statements of this cursor must name their result
    columns (no `SELECT *`): a prepared statement whose result changes shape after a
    migration fails until the connection is renewed. Elsewhere (SQLite), while Django logs
    queries, or with DATABASE_PREPARED_STATEMENTS off (a pooler in transaction mode that
    cannot keep prepared statements), it is Django's plain cursor.
    """
    connection = connections[using]
    if (
        connection.vendor != "postgresql"
        or not settings.DATABASE_PREPARED_STATEMENTS
        # Django logs a statement's text as the client-binding cursor composed it; while it
        # logs (DEBUG, a test capturing queries) the statements go as Django's do.
        or connection.queries_logged
    ):
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw_connection = connection.connection
        if raw_connection.prepare_threshold is None:
            raw_connection.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
        cursor = _PlannedCursor(raw_connection)
        _same_time_zone(connection, cursor)
        return connection._prepare_cursor(cursor)


class _PlannedCursor(psycopg.Cursor):
    """psycopg's server-binding cursor whose statements are always prepared."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


_TIMESTAMPTZ_OID = psycopg.postgres.types["timestamptz"].oid


def _same_time_zone(connection, cursor) -> None:
    """What Django's create_cursor does: the cursor reads timestamps in the connection's
    time zone when the connection's loader disagrees."""
    loader = connection.connection.adapters.get_loader(_TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor)


class RowReader:
    def __init__(self, model: type[Model]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self._converters: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def columns(self, quote, alias: str, prefix: str = "") -> list[str]:
        """The select list: `alias."column"` for each concrete field, in order; with
        `prefix`, each named `prefix<attname>` (for a second model in the same row)."""
        if not prefix:
            return [f"{alias}.{quote(field.column)}" for field in self.fields]
        return [
            f"{alias}.{quote(field.column)} AS {quote(prefix + field.attname)}"
            for field in self.fields
        ]

    def _converters_for(self, using: str) -> list:
        found = self._converters.get(using)
        if found is None:
            connection = connections[using]
            found = []
            for field in self.fields:
                column = field.get_col(self.model._meta.db_table)
                converters = connection.ops.get_db_converters(column) + field.get_db_converters(
                    connection
                )
                found.append((converters, column) if converters else None)
            self._converters[using] = found
        return found

    def instance(self, values, using: str = "default") -> Model:
        """The instance whose concrete fields have `values` (in `columns()` order)."""
        connection = connections[using]
        converted = []
        for value, conversion in zip(values, self._converters_for(using), strict=True):
            if conversion is not None:
                converters, column = conversion
                for converter in converters:
                    value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(using, self.attnames, converted)


# Values that go to the database as they are, by the exact class of the field: its
# pre_save reads the attribute, and its get_db_prep_save hands such a value on unchanged on
# every backend (to_python of a str is the str, of a bool the bool; int() of an int is the
# int, which PostgreSQL's operations only wrap in a type hint). A foreign key passes its
# target's key on: an int for an auto key. A subclass may prepare its values otherwise, and
# other values (a date, a Decimal, a dict for JSON) take the field's own way. Computing
# that for every field of every row cost a third of a millisecond per registration: four
# rows of some thirty fields.
_TEXT, _FLAG, _NUMBER = frozenset({str}), frozenset({bool}), frozenset({int})
_AS_THEY_ARE = {
    models.CharField: _TEXT,
    models.TextField: _TEXT,
    models.EmailField: _TEXT,
    models.SlugField: _TEXT,
    models.BooleanField: _FLAG,
    models.IntegerField: _NUMBER,
    models.SmallIntegerField: _NUMBER,
    models.BigIntegerField: _NUMBER,
    models.PositiveIntegerField: _NUMBER,
    models.PositiveSmallIntegerField: _NUMBER,
    models.PositiveBigIntegerField: _NUMBER,
}
_AUTO_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def _as_they_are(field) -> frozenset:
    """The value types `field` sends as they are (None too); empty: always its own way."""
    if type(field).pre_save is not models.Field.pre_save:
        return frozenset()
    if type(field) is models.ForeignKey and type(field.target_field) in _AUTO_KEYS:
        types = _NUMBER
    else:
        types = _AS_THEY_ARE.get(type(field), frozenset())
    return types | {type(None)} if types else types


class RowWriter:
    """Inserts model instances with one hand-written statement whose text is made once per
    number of rows, as `bulk_create` would (no save() signals, which bulk_create does not
    send either): each field's `pre_save` and `get_db_prep_save`, the new primary keys set
    from RETURNING (PostgreSQL, and SQLite from 3.35). With `ignore_conflicts` (one row at a
    time), a row that breaks a unique constraint is skipped: insert() then returns []."""

    def __init__(self, model: type[Model]):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        self._columns = [(field, field.attname, _as_they_are(field)) for field in self.fields]
        self._statements: dict[tuple, str] = {}

    def _statement(self, using: str, rows: int, ignore_conflicts: bool) -> str:
        key = (using, rows, ignore_conflicts)
        sql = self._statements.get(key)
        if sql is None:
            connection = connections[using]
            quote = connection.ops.quote_name
            row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
            sql = (
                f"INSERT INTO {quote(self.model._meta.db_table)} "  # noqa: S608 - model names
                f"({', '.join(quote(field.column) for field in self.fields)}) "
                f"VALUES {', '.join([row] * rows)}"
                + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
                + f" RETURNING {quote(self.model._meta.pk.column)}"
            )
            self._statements[key] = sql
        return sql

    def params(self, objs: list[Model], connection) -> list:
        """The statement's parameters: each field's value of each row, as save() sends it."""
        params = []
        for obj in objs:
            for field, attname, as_they_are in self._columns:
                value = getattr(obj, attname) if as_they_are else None
                if as_they_are and type(value) in as_they_are:
                    params.append(value)
                else:
                    params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        return params

    def insert(
        self,
        objs: list[Model],
        *,
        ignore_conflicts: bool = False,
        signals: bool = False,
        using: str = "default",
    ):
        """Insert `objs`; returns those that were inserted (all, unless conflicts were
        ignored and the row existed). With `signals`, each instance's pre_save and post_save
        signals are sent as save() sends them for a new row."""
        if not objs:
            return []
        if ignore_conflicts and len(objs) > 1:
            # RETURNING names only the rows that went in, not which of them.
            raise ValueError("ignore_conflicts only for one row at a time")
        connection = connections[using]
        if signals:
            for obj in objs:
                pre_save.send(
                    sender=self.model, instance=obj, raw=False, using=using, update_fields=None
                )
        params = self.params(objs, connection)
        with planned_cursor(using) as cursor:
            cursor.execute(self._statement(using, len(objs), ignore_conflicts), params)
            keys = [row[0] for row in cursor.fetchall()]
        if not keys:  # the one row existed already (ignore_conflicts)
            return []
        pk = self.model._meta.pk
        for obj, key in zip(objs, keys, strict=True):
            setattr(obj, pk.attname, key)
            obj._state.adding, obj._state.db = False, using
            if signals:
                post_save.send(
                    sender=self.model,
                    instance=obj,
                    created=True,
                    update_fields=None,
                    raw=False,
                    using=using,
                )
        return objs

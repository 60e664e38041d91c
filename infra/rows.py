"""Model instances from the rows of a hand-written statement, as the ORM would build them.

A few statements run on every attempt of a registration rush (the event with its settings,
the place counters). Composing them through the ORM costs several times what running them
does, and a raw queryset matches columns to fields again on every use. A `RowReader` does
that work once per model and database: the statement selects the model's concrete fields in
their order (`columns()`), and `instance()` passes each value through the field's database
converters, as the ORM does (SQLite returns datetimes as text and booleans as integers;
PostgreSQL returns JSON as text), then builds the instance with `Model.from_db`.
"""

from django.db import connections
from django.db.models import Model


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

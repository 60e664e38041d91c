"""Stand plans: import the stands of a hall from CSV (all or nothing, an error per bad row)."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from infra.errors import InvalidInput

from ..errors import ErrorCode
from ..models import Hall, Stand

REQUIRED_COLUMNS = ["label", "x", "y", "width", "depth", "price"]
TRUE_WORDS = {"1", "yes", "ja", "true", "x", "wahr"}


class StandImportError(InvalidInput):
    """The CSV has bad rows; `errors` lists one message per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors), ErrorCode.STAND_IMPORT_INVALID)
        self.errors = errors


def _decimal(value: str) -> Decimal:
    number = Decimal(value.strip().replace(",", "."))
    if not number.is_finite():
        raise InvalidOperation
    return number


def _metres(value: Decimal) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _parse_row(row: dict, line: int, hall: Hall) -> tuple[dict | None, list[str]]:
    errors = []
    values: dict = {}
    label = (row.get("label") or "").strip()
    if not label or len(label) > 20:
        errors.append(_("Row %(line)d: the label is missing or too long.") % {"line": line})
    kind = (row.get("kind") or Stand.Kind.ROW).strip().lower() or Stand.Kind.ROW
    if kind not in Stand.Kind.values:
        errors.append(
            _("Row %(line)d: unknown type “%(kind)s” (row, corner, head, island).")
            % {"line": line, "kind": kind}
        )
    for column, field in [
        ("x", "x_m"),
        ("y", "y_m"),
        ("width", "width_m"),
        ("depth", "depth_m"),
        ("price", "price"),
    ]:
        try:
            values[field] = _decimal(row.get(column) or "")
        except (InvalidOperation, ValueError):
            errors.append(
                _("Row %(line)d: “%(column)s” is not a number.") % {"line": line, "column": column}
            )
            continue
        if values[field] < 0 or (field in ("width_m", "depth_m") and values[field] == 0):
            errors.append(
                _("Row %(line)d: “%(column)s” must be positive.") % {"line": line, "column": column}
            )
    if not errors:
        if (
            values["x_m"] + values["width_m"] > hall.width_m
            or values["y_m"] + values["depth_m"] > hall.depth_m
        ):
            errors.append(
                _("Row %(line)d: the stand lies outside the hall (%(width)s × %(depth)s m).")
                % {"line": line, "width": _metres(hall.width_m), "depth": _metres(hall.depth_m)}
            )
    flags = {
        name: (row.get(name) or "").strip().lower() in TRUE_WORDS
        for name in ("power", "water", "blocked")
    }
    if errors:
        return None, errors
    return {
        "label": label,
        "kind": kind,
        **values,
        "has_power": flags["power"],
        "has_water": flags["water"],
        "blocked": flags["blocked"],
    }, []


@transaction.atomic
def import_stands_csv(*, hall: Hall, text: str) -> int:
    """Create or update the hall's stands from CSV text (comma or semicolon separated).

    Returns the number of rows imported; raises StandImportError (code `stand_import_invalid`)
    listing every bad row, and then imports nothing."""
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise StandImportError(
            [_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    reader.fieldnames = header
    rows, errors, labels = [], [], set()
    for line, row in enumerate(reader, start=2):
        parsed, row_errors = _parse_row(row, line, hall)
        errors += row_errors
        if parsed:
            if parsed["label"] in labels:
                errors.append(
                    _("Row %(line)d: the label %(label)s appears twice.")
                    % {"line": line, "label": parsed["label"]}
                )
            labels.add(parsed["label"])
            rows.append(parsed)
    if errors:
        raise StandImportError(errors)
    if not rows:
        raise StandImportError([_("The file contains no stands.")])
    for values in rows:
        label = values.pop("label")
        Stand.objects.update_or_create(hall=hall, label=label, defaults=values)
    return len(rows)

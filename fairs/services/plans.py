"""Stand plans: import the stands of a hall from CSV (all or nothing, an error per bad row),
export them again, and draw them: add, move, resize, rotate, renumber, delete (audited), with
an optional background image of the hall under the stands."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from events_platform import audit
from infra import exports
from infra.errors import DomainError, InvalidInput

from ..errors import ErrorCode
from ..images import clean_background
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


# --- the drawn plan: stands added, moved, resized, rotated, renumbered, deleted ----------

# Every position and size snaps to this grid (metres).
GRID_M = Decimal("0.5")
EXPORT_COLUMNS = [
    "label",
    "kind",
    "x",
    "y",
    "width",
    "depth",
    "price",
    "power",
    "water",
    "blocked",
]
STAND_FIELDS = (
    "label",
    "kind",
    "x_m",
    "y_m",
    "width_m",
    "depth_m",
    "price",
    "has_power",
    "has_water",
    "blocked",
)


def snap(value: Decimal) -> Decimal:
    """`value` rounded to the nearest grid step (0,5 m)."""
    steps = (Decimal(value) / GRID_M).quantize(Decimal("1"), rounding="ROUND_HALF_UP")
    return (steps * GRID_M).quantize(Decimal("0.01"))


def _check_place(*, hall: Hall, stand: Stand, values: dict) -> None:
    """Raise InvalidInput unless the stand's values fit the hall without touching others."""
    label = values["label"].strip()
    if not label or len(label) > 20:
        raise InvalidInput(_("The label is missing or too long."), ErrorCode.STAND_LABEL_INVALID)
    if values["kind"] not in Stand.Kind.values:
        raise InvalidInput(_("Choose a stand type."), ErrorCode.STAND_KIND_INVALID)
    if values["width_m"] <= 0 or values["depth_m"] <= 0:
        raise InvalidInput(
            _("A stand is at least %(grid)s m wide and deep.") % {"grid": _metres(GRID_M)},
            ErrorCode.STAND_TOO_SMALL,
        )
    if values["price"] < 0:
        raise InvalidInput(_("The price cannot be negative."), ErrorCode.STAND_PRICE_NEGATIVE)
    if (
        values["x_m"] < 0
        or values["y_m"] < 0
        or values["x_m"] + values["width_m"] > hall.width_m
        or values["y_m"] + values["depth_m"] > hall.depth_m
    ):
        raise InvalidInput(
            _("The stand lies outside the hall (%(width)s × %(depth)s m).")
            % {"width": _metres(hall.width_m), "depth": _metres(hall.depth_m)},
            ErrorCode.STAND_OUTSIDE_HALL,
        )
    others = hall.stands.exclude(pk=stand.pk)
    if others.filter(label=label).exists():
        raise InvalidInput(
            _("The hall already has a stand %(label)s.") % {"label": label},
            ErrorCode.STAND_LABEL_TAKEN,
        )
    overlapping = others.filter(
        x_m__lt=values["x_m"] + values["width_m"],
        x_m__gt=values["x_m"] - F("width_m"),
        y_m__lt=values["y_m"] + values["depth_m"],
        y_m__gt=values["y_m"] - F("depth_m"),
    ).first()
    if overlapping is not None:
        raise InvalidInput(
            _("The stand would overlap stand %(label)s. Move it to a free place.")
            % {"label": overlapping.label},
            ErrorCode.STAND_OVERLAP,
        )


def _locked_hall(hall: Hall) -> Hall:
    # One hall's plan is edited by one change at a time, so two overlapping moves cannot
    # both pass the overlap check.
    return Hall.objects.select_related("fair__event").select_for_update().get(pk=hall.pk)


def _save_stand(*, hall: Hall, stand: Stand, values: dict, by, action: str) -> Stand:
    hall = _locked_hall(hall)
    values = {**values, "label": str(values["label"]).strip()}
    for name in ("x_m", "y_m", "width_m", "depth_m"):
        values[name] = snap(values[name])
    _check_place(hall=hall, stand=stand, values=values)
    before = {name: str(getattr(stand, name)) for name in STAND_FIELDS} if stand.pk else {}
    for name, value in values.items():
        setattr(stand, name, value)
    stand.hall = hall
    stand.save()
    audit.record_action(
        actor=by,
        organisation=hall.fair.event.organisation,
        action=action,
        target=stand,
        details={
            "hall": hall.name,
            "before": before,
            "after": {name: str(getattr(stand, name)) for name in STAND_FIELDS},
        },
    )
    return stand


@transaction.atomic
def add_stand(
    *,
    hall: Hall,
    by,
    label: str,
    x_m: Decimal,
    y_m: Decimal,
    width_m: Decimal,
    depth_m: Decimal,
    price: Decimal,
    kind: str = Stand.Kind.ROW,
    has_power: bool = False,
    has_water: bool = False,
    blocked: bool = False,
) -> Stand:
    """Draw a new stand in the hall, snapped to the grid; raises InvalidInput (outside the
    hall, overlap, label taken)."""
    values = {
        "label": label,
        "kind": kind,
        "x_m": x_m,
        "y_m": y_m,
        "width_m": width_m,
        "depth_m": depth_m,
        "price": price,
        "has_power": has_power,
        "has_water": has_water,
        "blocked": blocked,
    }
    return _save_stand(hall=hall, stand=Stand(hall=hall), values=values, by=by, action="stand_add")


@transaction.atomic
def change_stand(*, stand: Stand, by, **changes) -> Stand:
    """Move, resize, renumber or re-describe a stand (any of STAND_FIELDS), snapped to the
    grid; raises InvalidInput (outside the hall, overlap with another stand, label taken)."""
    unknown = set(changes) - set(STAND_FIELDS)
    if unknown:
        raise TypeError(f"unknown stand fields: {sorted(unknown)}")
    stand = Stand.objects.select_for_update().get(pk=stand.pk)
    values = {name: getattr(stand, name) for name in STAND_FIELDS} | changes
    return _save_stand(hall=stand.hall, stand=stand, values=values, by=by, action="stand_change")


def move_stand(*, stand: Stand, by, x_m: Decimal, y_m: Decimal) -> Stand:
    """Move a stand to (x, y); raises InvalidInput as change_stand."""
    return change_stand(stand=stand, by=by, x_m=x_m, y_m=y_m)


def resize_stand(*, stand: Stand, by, width_m: Decimal, depth_m: Decimal) -> Stand:
    """Give a stand a new width and depth; raises InvalidInput as change_stand."""
    return change_stand(stand=stand, by=by, width_m=width_m, depth_m=depth_m)


def rotate_stand(*, stand: Stand, by) -> Stand:
    """Turn a stand by 90° about its top-left corner (width and depth swap); raises
    InvalidInput as change_stand."""
    return change_stand(stand=stand, by=by, width_m=stand.depth_m, depth_m=stand.width_m)


def renumber_stand(*, stand: Stand, by, label: str) -> Stand:
    """Give a stand a new label; raises InvalidInput (`stand_label_taken`) as change_stand."""
    return change_stand(stand=stand, by=by, label=label)


@transaction.atomic
def delete_stand(*, stand: Stand, by) -> None:
    """Remove a stand from the plan; raises DomainError (`stand_has_bookings`) when a company
    has ever booked it (the booking's history keeps the stand)."""
    hall = _locked_hall(stand.hall)
    stand = Stand.objects.select_for_update().get(pk=stand.pk)
    if stand.bookings.exists():
        raise DomainError(
            _("Stand %(label)s has bookings and cannot be deleted. Block it instead.")
            % {"label": stand.label},
            ErrorCode.STAND_HAS_BOOKINGS,
        )
    audit.record_action(
        actor=by,
        organisation=hall.fair.event.organisation,
        action="stand_delete",
        target=stand,
        details={"hall": hall.name, "before": {n: str(getattr(stand, n)) for n in STAND_FIELDS}},
    )
    stand.delete()


@transaction.atomic
def set_background(*, hall: Hall, by, data: bytes | None) -> Hall:
    """Put an uploaded image under the hall's stands (re-encoded as PNG by
    fairs/images.clean_background), or take it away when `data` is None; raises InvalidInput
    (too large, not an image, a PDF, too many pixels). The old file is deleted after commit."""
    hall = _locked_hall(hall)
    old = hall.background.name if hall.background else ""
    if data is None:
        hall.background = ""
        hall.save(update_fields=["background"])
    else:
        cleaned = clean_background(data)
        hall.background.save(cleaned.name, cleaned, save=False)
        hall.save(update_fields=["background"])
    # A copied edition's hall shares the file (editions copy the name): keep it while used.
    if old and not Hall.objects.filter(background=old).exclude(pk=hall.pk).exists():
        storage = hall.background.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit.record_action(
        actor=by,
        organisation=hall.fair.event.organisation,
        action="hall_background_remove" if data is None else "hall_background_set",
        target=hall,
        details={"hall": hall.name},
    )
    return hall


def export_stands_csv(*, hall: Hall) -> str:
    """The hall's stands as CSV text in the columns import_stands_csv reads back."""
    rows = [
        [
            stand.label,
            stand.kind,
            _metres(stand.x_m),
            _metres(stand.y_m),
            _metres(stand.width_m),
            _metres(stand.depth_m),
            f"{stand.price:.2f}",
            "yes" if stand.has_power else "no",
            "yes" if stand.has_water else "no",
            "yes" if stand.blocked else "no",
        ]
        for stand in hall.stands.order_by("label")
    ]
    return exports.csv_text(EXPORT_COLUMNS, rows)

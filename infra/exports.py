"""The one writer of every CSV and XLSX file the product hands out.

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as
a formula, so a visitor named "=HYPERLINK(...)" would become a link or a command in the
organiser's spreadsheet. Every text cell written here is neutralised with a leading
apostrophe (the sign spreadsheets show as "text as typed"). No other module writes CSV or
XLSX: tests/security/test_exports.py fails when one does.
"""

import csv
import io

from openpyxl import Workbook

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value) -> object:
    """The value as a spreadsheet shows it as text, never runs it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """CSV with a byte-order mark and semicolons, as German spreadsheet programs expect."""
    return csv_text(header, rows, delimiter=";").encode("utf-8-sig")


def csv_text(header: list[str], rows: list[list], *, delimiter: str = ",") -> str:
    """CSV text, every cell neutralised; with commas it is the stand-plan format that the
    plan import reads back (fairs.services.plans)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow([neutralise(value) for value in header])
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue()


def xlsx_bytes(header: list[str], rows: list[list], *, title: str) -> bytes:
    """An XLSX workbook with one sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Export"
    sheet.append([neutralise(value) for value in header])
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

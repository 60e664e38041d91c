"""The checks every PDF sent with an application passes before it is stored.

A CV or cover letter is opened later by a company's staff in their PDF reader, so a file
that could act there is refused, not cleaned:

- the size (at most APPLICATIONS_MAX_PDF_BYTES) and the magic bytes (`%PDF-` at the start);
- PDFium (pypdfium2) must open it (no damaged or password-protected file) and count at most
  APPLICATIONS_MAX_PDF_PAGES pages; documents whose name tree holds JavaScript or embedded
  files are refused by what PDFium reports;
- the raw bytes and every Flate-compressed stream (object streams hide dictionaries there)
  are searched for the names of active content: JavaScript, an action on opening or on
  events (/OpenAction, /AA), launching a program (/Launch), embedded files, rich media,
  XFA forms, form submission. Names are compared after decoding `#xx` escapes, so
  `/J#61vaScript` is found too. Decompression stops at a budget (a zip bomb stays small).
"""

import re
import zlib
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from infra.errors import InvalidInput

from .errors import ErrorCode

ACTIVE_NAMES = (
    b"JavaScript",
    b"JS",
    b"OpenAction",
    b"AA",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"RichMedia",
    b"XFA",
    b"SubmitForm",
    b"ImportData",
    b"GoToE",
)
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
# At most this many bytes are inflated from all streams of one file together.
INFLATE_BUDGET = 64 * 1024 * 1024


@dataclass(frozen=True)
class CheckedPdf:
    data: bytes
    pages: int


def _names(chunk: bytes) -> set[bytes]:
    return {_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), m[1]) for m in _NAME.finditer(chunk)}


def _inflated_streams(data: bytes):
    """The inflated content of every Flate stream, within INFLATE_BUDGET bytes in all."""
    budget = INFLATE_BUDGET
    for match in _STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk


def has_active_content(data: bytes) -> bool:
    """Whether the file names any kind of active content, in the clear or in a stream."""
    active = set(ACTIVE_NAMES)
    if _names(data) & active:
        return True
    return any(_names(chunk) & active for chunk in _inflated_streams(data))


def check_pdf(data: bytes) -> CheckedPdf:
    """The file if it is a harmless PDF within the limits; raises InvalidInput otherwise."""
    limit = settings.APPLICATIONS_MAX_PDF_BYTES
    if len(data) > limit:
        raise InvalidInput(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
            ErrorCode.PDF_TOO_LARGE,
        )
    if not data.startswith(b"%PDF-"):
        raise InvalidInput(_("The file is not a PDF."), ErrorCode.PDF_NOT_A_PDF)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise InvalidInput(
            _("The PDF could not be read (damaged or protected by a password)."),
            ErrorCode.PDF_UNREADABLE,
        ) from None
    try:
        pages = len(document)
        scripts = pdfium_c.FPDFDoc_GetJavaScriptActionCount(document.raw)
        attachments = pdfium_c.FPDFDoc_GetAttachmentCount(document.raw)
    finally:
        document.close()
    if pages < 1:
        raise InvalidInput(_("The PDF has no pages."), ErrorCode.PDF_UNREADABLE)
    most = settings.APPLICATIONS_MAX_PDF_PAGES
    if pages > most:
        raise InvalidInput(
            ngettext(
                "The PDF may have at most %(most)s page.",
                "The PDF may have at most %(most)s pages.",
                most,
            )
            % {"most": most},
            ErrorCode.PDF_TOO_MANY_PAGES,
        )
    if scripts or attachments or has_active_content(data):
        raise InvalidInput(
            _(
                "The PDF contains scripts, actions or embedded files. Please save it again "
                "as a plain PDF (e.g. print it to PDF) and upload that."
            ),
            ErrorCode.PDF_ACTIVE_CONTENT,
        )
    return CheckedPdf(data=data, pages=pages)

"""Logo and hall background uploads: only PNG, JPEG (or WebP for logos; a PDF plan for a
hall, drawn as an image), limited in bytes and pixels, re-encoded by Pillow so that no
metadata (EXIF, GPS) and no smuggled content survives, under a random name."""

import io
import secrets

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from infra.errors import InvalidInput

from .errors import ErrorCode

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 25_000_000
# Pillow format name -> (file extension, content type, save options)
LOGO_FORMATS = {
    "PNG": ("png", "image/png", {"optimize": True}),
    "JPEG": ("jpg", "image/jpeg", {"quality": 88}),
    "WEBP": ("webp", "image/webp", {"quality": 88}),
}
# A hall's background (fairs.Hall.background): a photo or scan of the plan, stored as PNG.
MAX_BACKGROUND_BYTES = 8 * 1024 * 1024
BACKGROUND_FORMATS = ("PNG", "JPEG")
CONTENT_TYPES = {extension: content_type for extension, content_type, _o in LOGO_FORMATS.values()}

# Pillow refuses to decode anything bigger (DecompressionBombError) as a second line behind
# the header check below.
Image.MAX_IMAGE_PIXELS = MAX_LOGO_PIXELS


def _refuse(message, code: str):
    raise InvalidInput(message, code)


def clean_logo(data: bytes) -> ContentFile:
    """A re-encoded copy of an uploaded logo under a random name; raises InvalidInput."""
    if len(data) > MAX_LOGO_BYTES:
        _refuse(_("The logo may be at most 2 MB."), ErrorCode.LOGO_TOO_LARGE)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        _refuse(
            _("SVG logos are not accepted. Please upload a PNG, JPEG or WebP image."),
            ErrorCode.LOGO_SVG_REFUSED,
        )
    image_format, clean = _decode(
        data,
        LOGO_FORMATS,
        _("Please upload a PNG, JPEG or WebP image."),
        _("The logo may have at most 25 megapixels."),
    )
    extension, _content_type, options = LOGO_FORMATS[image_format]
    return _encoded(clean, image_format, options, extension)


def clean_background(data: bytes) -> ContentFile:
    """A hall's background image, checked like a logo and re-encoded as PNG under a random
    name; a PDF plan's first page is drawn as the image. Raises InvalidInput."""
    if len(data) > MAX_BACKGROUND_BYTES:
        _refuse(
            _("The file may be at most %(mb)s MB.") % {"mb": MAX_BACKGROUND_BYTES // 2**20},
            ErrorCode.LOGO_TOO_LARGE,
        )
    if data[:1024].lstrip().startswith(b"%PDF"):
        data = _pdf_first_page(data)
    _format, clean = _decode(
        data,
        BACKGROUND_FORMATS,
        _("Please upload a PNG or JPEG image or a PDF."),
        _("The image may have at most 25 megapixels."),
    )
    return _encoded(clean, "PNG", LOGO_FORMATS["PNG"][2], "png")


# A PDF plan's first page is drawn with its longer side this many pixels long.
PDF_PLAN_PIXELS = 2400


def _pdf_first_page(data: bytes) -> bytes:
    """The first page of a PDF as PNG bytes, drawn by PDFium (pypdfium2): only the page is
    rendered, no form, script or attachment of the file is run or kept. Raises InvalidInput
    for a file PDFium cannot open (damaged, encrypted) or without pages."""
    unreadable = _("The PDF could not be read. Please try another file or an image of the plan.")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        _refuse(unreadable, ErrorCode.LOGO_UNREADABLE)
    try:
        if len(document) < 1:
            _refuse(unreadable, ErrorCode.LOGO_UNREADABLE)
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            _refuse(unreadable, ErrorCode.LOGO_UNREADABLE)
        scale = PDF_PLAN_PIXELS / max(width, height)
        image = page.render(scale=scale).to_pil().convert("RGB")
    except pdfium.PdfiumError:
        _refuse(unreadable, ErrorCode.LOGO_UNREADABLE)
    finally:
        document.close()
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def _decode(data: bytes, formats, bad_format, too_many_pixels) -> tuple[str, Image.Image]:
    """The format and a metadata-free copy of the pixels, after the header checks (format
    allow-list, pixel limit before decoding); raises InvalidInput."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            # Image.open reads only the header: check size before decoding any pixels.
            image_format = probe.format
            width, height = probe.size
    except Image.DecompressionBombError:
        _refuse(too_many_pixels, ErrorCode.LOGO_TOO_MANY_PIXELS)
    except (UnidentifiedImageError, OSError):
        _refuse(bad_format, ErrorCode.LOGO_BAD_FORMAT)
    if image_format not in formats:
        _refuse(bad_format, ErrorCode.LOGO_BAD_FORMAT)
    if width * height > MAX_LOGO_PIXELS:
        _refuse(too_many_pixels, ErrorCode.LOGO_TOO_MANY_PIXELS)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            # A fresh image without `info` carries no EXIF, XMP or ICC text chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette())
    except (OSError, ValueError, Image.DecompressionBombError):
        _refuse(
            _("The image could not be read. Please try another file."), ErrorCode.LOGO_UNREADABLE
        )
    return image_format, clean


def _encoded(clean: Image.Image, image_format: str, options: dict, extension: str) -> ContentFile:
    output = io.BytesIO()
    try:
        clean.save(output, format=image_format, **options)
    except (OSError, ValueError):
        _refuse(
            _("The image could not be read. Please try another file."), ErrorCode.LOGO_UNREADABLE
        )
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")


def logo_content_type(name: str) -> str:
    """The image content type of a stored logo, from its (server-chosen) extension."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")

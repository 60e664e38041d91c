"""The checks of an application's PDFs: only a plain PDF within the limits is taken."""

import zlib

import pytest

from applications.pdfcheck import check_pdf, has_active_content
from infra.errors import InvalidInput

from .helpers import pdf, pdf_with_javascript, pdf_with_pages


def _code(data: bytes) -> str:
    with pytest.raises(InvalidInput) as error:
        check_pdf(data)
    return str(error.value.code)


def test_a_plain_pdf_passes_with_its_page_count():
    assert check_pdf(pdf()).pages == 1
    assert check_pdf(pdf_with_pages(20)).pages == 20


def test_javascript_and_an_open_action_are_refused():
    data = pdf_with_javascript()
    assert _code(data) == "pdf_active_content"


def test_too_many_pages_are_refused(settings):
    assert _code(pdf_with_pages(21)) == "pdf_too_many_pages"
    settings.APPLICATIONS_MAX_PDF_PAGES = 25
    assert check_pdf(pdf_with_pages(21)).pages == 21


def test_not_a_pdf_damaged_and_too_large_are_refused(settings):
    assert _code(b"<html><script>alert(1)</script></html>") == "pdf_not_a_pdf"
    assert _code(b"%PDF-1.4\n garbage without objects") == "pdf_unreadable"
    settings.APPLICATIONS_MAX_PDF_BYTES = 100
    assert _code(pdf()) == "pdf_too_large"


@pytest.mark.parametrize(
    "name", [b"/Launch", b"/EmbeddedFiles", b"/J#61vaScript", b"/AA", b"/RichMedia", b"/XFA"]
)
def test_active_names_are_found_in_the_clear_escaped_and_in_compressed_streams(name):
    assert has_active_content(b"1 0 obj << " + name + b" 2 0 R >> endobj")
    hidden = zlib.compress(b"<< " + name + b" (x) >>")
    assert has_active_content(b"4 0 obj << /Type /ObjStm >>\nstream\n" + hidden + b"\nendstream")
    assert not has_active_content(b"1 0 obj << /AAPL 2 0 R /JSON 3 0 R >> endobj")


def test_a_launch_action_in_a_real_pdf_is_refused():
    data = pdf().replace(
        b"<< /Type /Catalog", b"<< /OpenAction << /S /Launch /F (calc) >> /Type /Catalog"
    )
    # The xref offsets are off by the insert; PDFium repairs that, our check still refuses.
    assert _code(data) == "pdf_active_content"

"""Shared setup of the application tests: a job wall with one offer, and PDFs built here."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from applications.demo import minimal_pdf
from fairs import services as fair_services
from tests.factories import EventFactory
from tests.fairs.factories import CompanyFactory, CompanyMemberFactory, StandBookingFactory


def wall(*, company_name="Agrar Elbaue", title="Landwirt/in"):
    """An event whose job wall shows one offer of a company with a confirmed stand; the
    company's member (a user)."""
    event = EventFactory(title_de="Rückkehrertag Torgau", title_en="Homecomers' Day Torgau")
    company = CompanyFactory(name=company_name, contact_email=f"hr@{company_name[:5]}.example")
    StandBookingFactory(company=company, stand__hall__fair__event=event, status="approved")
    offer = fair_services.create_job_offer(
        company=company,
        data={"title": title, "kind": "apprenticeship", "place_of_work": "Torgau"},
        events=[event],
    )
    member = CompanyMemberFactory(company=company)
    return event, offer, member


def pdf(text="Lebenslauf") -> bytes:
    return minimal_pdf([text])


def pdf_with_javascript() -> bytes:
    """A one-page PDF that runs a script when opened: a document-level JavaScript in the
    names tree and an OpenAction with JavaScript (written by pypdf)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('open');"),
        }
    )
    reference = writer._add_object(script)
    names = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("hello"), reference])}
            )
        }
    )
    writer._root_object[NameObject("/Names")] = writer._add_object(names)
    writer._root_object[NameObject("/OpenAction")] = reference
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def form_data(**overrides) -> dict:
    data = {
        "name": "Lena Hartmann",
        "email": "lena@example.org",
        "phone": "",
        "message": "Ich möchte gern bei Ihnen anfangen.",
        "cv": upload("Lebenslauf.pdf", pdf("Lebenslauf")),
        "letter": upload("Anschreiben.pdf", pdf("Anschreiben")),
        "consent": "on",
    }
    data.update(overrides)
    return data

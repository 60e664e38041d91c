"""Demo rows of applications: two visitors applied to the demo company's job offers (one
answered with an invitation). Idempotent: a second run adds nothing."""

from datetime import datetime, timedelta

from events_platform.models import Event
from fairs.models import JobOffer

from . import services
from .models import Answer, Application, ApplicationFile, ApplicationTally

DEMO_COMPANY = "agrar-elbaue"


def minimal_pdf(lines: list[str]) -> bytes:
    """A plain one-page PDF (Helvetica text, nothing active), with a correct xref table."""
    text = " ".join(
        f"({line.replace(chr(92), '').replace('(', '').replace(')', '')}) Tj 0 -18 Td"
        for line in lines
    )
    content = f"BT /F1 12 Tf 72 760 Td {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    size = len(objects) + 1
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


APPLICANTS = [
    ("Lena Hartmann", "lena.hartmann@example.org", "Ich möchte nach meinem Abitur in der "
     "Landwirtschaft anfangen und habe im Sommer schon auf einem Hof geholfen.", None),
    ("Jonas Beyer", "jonas.beyer@example.org", "Nach acht Jahren in Bayern möchte ich zurück "
     "nach Nordsachsen. Ich bringe Erfahrung als Landmaschinenmechaniker mit.",
     "Vielen Dank! Wir laden Sie gern zu einem Gespräch an unserem Stand ein."),
]  # fmt: skip


def load_demo(*, events_by_slug: dict, now: datetime) -> None:
    offers = list(JobOffer.objects.filter(company__slug=DEMO_COMPANY).order_by("title", "pk")[:2])
    for (name, email, message, answer), offer in zip(APPLICANTS, offers, strict=False):
        event = next(
            (
                event
                for event in Event.objects.published().order_by("starts_at")
                if services.offers_on_wall(event).filter(pk=offer.pk).exists()
            ),
            None,
        )
        if event is None or Application.objects.filter(email=email, job_offer=offer).exists():
            continue
        sent = now - timedelta(days=3)
        application = Application.objects.create(
            job_offer=offer,
            company=offer.company,
            event=event,
            name=name,
            email=email,
            message=message,
            language="de",
            consent_text=services.consent_text(
                event.organisation.exhibitor_contacts_retention_months
            ),
            consent_language="de",
            consent_at=sent,
            created_at=sent,
            status=Application.Status.INVITED if answer else Application.Status.RECEIVED,
        )
        for kind, title in ((ApplicationFile.Kind.CV, "Lebenslauf"), ("letter", "Anschreiben")):
            data = minimal_pdf([f"{title} {name}", offer.title])
            ApplicationFile.objects.create(
                application=application,
                kind=kind,
                name=f"{title}.pdf",
                size=len(data),
                pages=1,
                data=data,
            )
        if answer:
            Answer.objects.create(
                application=application,
                status=Application.Status.INVITED,
                body=answer,
                sent_at=sent + timedelta(days=1),
            )
        tally, _created = ApplicationTally.objects.get_or_create(event=event, company=offer.company)
        tally.received += 1
        tally.save(update_fields=["received"])

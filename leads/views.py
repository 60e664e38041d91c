"""Stand contacts: the stand scanner (pairing page, shell, service worker and the phone's
JSON calls), the visitor's consent at a stand and withdrawal, the company's contacts and
downloads, and the organiser's counts per company.

The phone authenticates with `Authorization: Device <token>` (from pairing, kept on the
phone); an unknown or revoked token is answered 403.
"""

import hashlib

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checkin.services import invalid_codes
from dataprotection import subject_requests
from events_platform import access as core_access
from events_platform import audit
from fairs.access import get_company_booking_or_404, membership_for, organiser_fairs
from fairs.models import Fair
from infra import exports
from infra.errors import DomainError
from infra.input_limits import parse_json
from ticketing import queries as ticketing_queries
from ticketing.models import Registration

from . import consent_texts, documents, queries, services, subject_data
from .forms import PairForm, SearchForm
from .models import Contact
from .vcard import Card, vcards

SESSION_KEY = "leads.manage_tokens"
SCANNER_ASSETS = ("leads/stand.js", "leads/stand.css", "vendor/qr-scanner/qr-scanner.min.js")
MAX_UPLOAD_ITEMS = 500
INVALID_CODES_SCOPE = "leads-invalid"


# --- The phone ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pair(request):
    """Pair this phone from a staff pass: its code (scanned or typed) binds the phone to the
    pass's company and stand booking."""
    form = PairForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, secret = services.pair_stand_device(
                staff_pass_code=form.cleaned_data["code"], now=timezone.now()
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            return _paired(device, secret)
    return render(request, "leads/pair.html", {"form": form}, status=400 if form.errors else 200)


def _paired(device, secret: str):
    """After pairing (by typed code or by link): the organiser's log, then the scanner with
    the device's secret in the fragment (never sent to the server)."""
    audit.record_action(
        actor=None,
        organisation=device.booking.fair.event.organisation,
        action="stand_device_paired",
        target=device.booking,
        details={"company": device.booking.company.name},
    )
    return redirect(reverse("leads:scanner") + "#device=" + secret)


@csrf_exempt  # the signed token in the address authorises (no referrer: infra/secret_links)
@require_http_methods(["GET", "POST"])
def pair_link(request, token):
    """The pairing link from the company's booking page: one tap pairs this phone for the
    staff pass (the pass's own code, checked like a typed one)."""
    try:
        staff_pass = services.staff_pass_for_token(token)
    except DomainError as error:
        return render(request, "leads/pair_link.html", {"error": error.message}, status=404)
    if request.method == "POST":
        try:
            device, secret = services.pair_stand_device(
                staff_pass_code=staff_pass.secret, now=timezone.now()
            )
        except DomainError as error:
            return render(request, "leads/pair_link.html", {"error": error.message}, status=400)
        return _paired(device, secret)
    return render(request, "leads/pair_link.html", {"staff_pass": staff_pass})


def booking_panel(request, booking) -> str | None:
    """On the company's booking page: the stand sign, and a pairing link per staff pass."""
    if booking.status != "approved":
        return None
    passes = [
        (staff_pass, services.pass_pairing_token(staff_pass))
        for staff_pass in booking.staff_passes.filter(revoked_at__isnull=True).order_by("name")
    ]
    return render_to_string(
        "leads/_booking_panel.html", {"booking": booking, "passes": passes}, request=request
    )


@require_GET
def scanner(request):
    """The stand scanner shell: camera, code field, notes; works offline."""
    return render(
        request,
        "leads/scanner.html",
        {"strings": scanner_strings(), "sw_url": reverse("leads:service-worker")},
    )


@never_cache
@require_GET
def service_worker(request):
    """The service worker: keeps the scanner shell and its assets for offline use."""
    scope = reverse("leads:scanner").rsplit("/", 2)[0] + "/"
    assets = [static(name) for name in SCANNER_ASSETS]
    version = hashlib.sha256("|".join(assets).encode()).hexdigest()[:12]
    body = render_to_string(
        "leads/sw.js",
        {"version": version, "shell": reverse("leads:scanner"), "assets": assets},
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    return response


def scanner_strings() -> dict:
    return {
        "saved": _("Contact saved"),
        "nameless": _("Visitor without contact sharing"),
        "refused": _("Not counted"),
        "offline": _("Offline: scans are saved on this phone"),
        "online": _("Online"),
        "pending": _("Waiting to upload: %(count)s"),
        "uploaded": _("Offline scans uploaded."),
        "queued": _("Saved on this phone. It is uploaded when the network is back."),
        "notPaired": _(
            "This phone is not paired. Open the pairing page and enter your staff pass."
        ),
        "cameraError": _("The camera could not be started. Type the ticket code instead."),
        "cameraStart": _("Start camera"),
        "cameraStop": _("Stop camera"),
        "noteSaved": _("Note saved."),
    }


class _Refused(Exception):
    pass


def _device(request):
    header = request.headers.get("Authorization", "")
    keyword, _sep, token = header.partition(" ")
    if keyword.lower() != "device":
        raise _Refused
    device = services.device_for_token(token.strip())
    if device is None:
        raise _Refused
    return device


def _language(request) -> str:
    language = request.GET.get("lang", "de")
    return language if language in ("de", "en") else "de"


def _forbidden() -> JsonResponse:
    return JsonResponse(
        {"code": "not_paired", "message": _("This phone is not paired or was revoked.")},
        status=403,
    )


def _rate_limited() -> JsonResponse:
    """Too many invalid codes from this phone (the scans before this one are kept; the phone
    keeps the rest in its queue and sends them again later)."""
    answer = invalid_codes.refusal()
    return JsonResponse(answer | {"message": answer["detail"]}, status=429)


@csrf_exempt
@require_GET
def device_info(request):
    """What the paired phone shows: company, stand, fair, and its contacts so far."""
    with translation.override(_language(request)):
        try:
            device = _device(request)
        except _Refused:
            return _forbidden()
        booking = device.booking
        return JsonResponse(
            {
                "company": booking.company.name,
                "stand": booking.stand.label,
                "event": str(booking.fair.event),
                "staff": device.staff_pass.name,
                "contacts": booking.contacts.count(),
                "shared": booking.contacts.filter(shared=True).count(),
            }
        )


@csrf_exempt
@require_POST
def device_upload(request):
    """Scans and notes from the phone, online or from its offline queue: one answer per
    item; an item whose nonce was seen before answers again and counts once."""
    with translation.override(_language(request)):
        try:
            device = _device(request)
        except _Refused:
            return _forbidden()
        try:
            body = parse_json(request.body)
        except Exception:  # noqa: BLE001 - any unreadable body is the same 400
            body = None
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or len(items) > MAX_UPLOAD_ITEMS:
            return JsonResponse(
                {"code": "invalid", "message": _("This upload is not readable.")}, status=400
            )
        # A phone that keeps sending forged or unknown codes is someone trying codes: the
        # door's limit (checkin invalid_codes) answers it 429 for a while.
        device_key = str(device.pk)
        if invalid_codes.exceeded(INVALID_CODES_SCOPE, device_key):
            return _rate_limited()
        now = timezone.now()
        results = []
        for item in items:
            if not isinstance(item, dict) or not str(item.get("nonce") or "").strip():
                results.append({"nonce": "", "code": "invalid", "ok": False})
                continue
            nonce = str(item["nonce"])[:64]
            if item.get("type") == "note":
                try:
                    answer = services.annotate_from_device(
                        device=device, nonce=nonce, now=now, data=item
                    )
                except DomainError as error:
                    results.append(
                        {"nonce": nonce, "code": error.code, "ok": False, "message": error.message}
                    )
                    continue
            else:
                scanned_at = parse_datetime(str(item.get("scanned_at") or "")) or None
                answer = services.scan_ticket(
                    device=device,
                    secret=str(item.get("secret") or ""),
                    nonce=nonce,
                    now=now,
                    scanned_at=scanned_at,
                    offline=bool(item.get("offline")),
                )
                if not answer.replayed and invalid_codes.over(
                    invalid_codes.count(INVALID_CODES_SCOPE, device_key, answer.code)
                ):
                    return _rate_limited()
            results.append({"nonce": nonce, **answer.as_dict()})
        return JsonResponse({"results": results})


# --- The visitor -------------------------------------------------------------------------


def remember_registration(request, registration: Registration) -> None:
    """The ticket page was opened on this phone: a stand's QR code opened next knows whose
    contact to share (kept in the session, at most five tickets)."""
    tokens = [t for t in request.session.get(SESSION_KEY, []) if t != registration.manage_token]
    request.session[SESSION_KEY] = ([registration.manage_token] + tokens)[:5]


def _registration_for(request, booking) -> Registration | None:
    for token in request.session.get(SESSION_KEY, []):
        registration = ticketing_queries.registration_by_token(token)
        if (
            registration is not None
            and registration.event_id == booking.fair.event_id
            and registration.status == Registration.Status.CONFIRMED
        ):
            return registration
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def share(request, code):
    """The stand's QR code: the visitor shares their contact with this company."""
    try:
        booking = services.booking_for_code(code)
    except DomainError as error:
        return render(request, "leads/share.html", {"error": error.message}, status=404)
    registration = _registration_for(request, booking)
    contact = None
    if registration is not None:
        contact = Contact.objects.filter(
            booking=booking, registration=registration, shared=True, erased_at__isnull=True
        ).first()
    if request.method == "POST" and registration is not None:
        language = translation.get_language() or "de"
        contact = services.share_at_stand(
            registration=registration, booking=booking, language=language[:2], now=timezone.now()
        )
        return redirect(
            reverse("ticketing:ticket", kwargs={"token": registration.manage_token})
            + "?notice=shared#stand-contacts"
        )
    text = ""
    if registration is not None:
        text, _version = consent_texts.share_with_company(
            booking.company, (translation.get_language() or "de")[:2]
        )
    return render(
        request,
        "leads/share.html",
        {
            "booking": booking,
            "registration": registration,
            "contact": contact,
            "consent_text": text,
            "button": consent_texts.share_button(booking.company),
        },
    )


def ticket_panel(request, registration: Registration) -> str | None:
    """On the ticket page of an event with exhibitors: which companies hold the visitor's
    contact (with "withdraw"), and how to share it at a stand."""
    if not Fair.objects.filter(event_id=registration.event_id).exists():
        return None
    remember_registration(request, registration)
    return render_to_string(
        "leads/_ticket_panel.html",
        {
            "registration": registration,
            "contacts": services.holders_of([registration.pk]),
            "shared_now": request.GET.get("notice") == "shared",
        },
        request=request,
    )


@csrf_exempt  # the token in the address authorises (ticketing/secret_links.py)
@require_POST
def withdraw(request, token, pk):
    """The visitor withdraws their contact from a company: its copy is erased."""
    registration = ticketing_queries.registration_by_token(token)
    if registration is None:
        raise Http404
    contact = get_object_or_404(
        Contact, pk=pk, registration=registration, shared=True, erased_at__isnull=True
    )
    services.withdraw_contact(contact=contact, now=timezone.now())
    return redirect(
        reverse("ticketing:ticket", kwargs={"token": token}) + "?notice=withdrawn#stand-contacts"
    )


@csrf_exempt  # the token in the address authorises ("Ihre Daten", infra/secret_links)
@never_cache
@require_http_methods(["GET", "POST"])
def data_withdraw(request, token, pk):
    """From "Ihre Daten": withdraw the contact from one company (asks first, then erases
    the company's copy and tells the company, as the ticket page's withdraw does)."""
    try:
        email = subject_requests.email_from_token(token)
    except DomainError as error:
        return render(
            request, "dataprotection/data_link_invalid.html", {"message": error.message}, status=404
        )
    contact = subject_data.contact_of(email, pk)
    if contact is None:
        raise Http404
    overview = reverse("dataprotection:data-overview", kwargs={"token": token})
    if request.method == "POST":
        services.withdraw_contact(contact=contact, now=timezone.now())
        return render(
            request,
            "leads/data_withdraw.html",
            {"done": True, "company": contact.company, "overview": overview},
        )
    return render(
        request,
        "leads/data_withdraw.html",
        {"contact": contact, "company": contact.company, "overview": overview},
    )


# --- The company -------------------------------------------------------------------------


def _member_or_redirect(request):
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    member = membership_for(request.user)
    if member is None:
        return None, redirect("fairs:company-signup")
    return member, None


def _filtered(request, company):
    events = list(queries.company_events(company))
    form = SearchForm(request.GET or None, events=events)
    contacts = queries.company_contacts(company)
    if form.is_valid():
        contacts = queries.search(contacts, form.cleaned_data.get("q", ""))
        if form.cleaned_data.get("event"):
            contacts = contacts.filter(event_id=form.cleaned_data["event"])
    return form, contacts, events


@require_GET
def company_contacts(request):
    """The company's own contacts per fair and site, searchable, with downloads."""
    member, refused = _member_or_redirect(request)
    if refused:
        return refused
    company = member.company
    form, contacts, events = _filtered(request, company)
    counts = {
        row["event_id"]: row["contacts"]
        for row in queries.counts_per_company_and_site(events)
        if row["company_id"] == company.pk
    }
    bookings = list(
        company.bookings.select_related("fair__event", "stand").filter(status="approved")
    )
    return render(
        request,
        "leads/company_contacts.html",
        {
            "company": company,
            "form": form,
            "contacts": contacts[:500],
            "events": [(event, counts.get(event.pk, 0)) for event in events],
            "bookings": bookings,
            "query": request.GET.urlencode(),
        },
    )


def _rows(contacts):
    header = [
        _("Met at"),
        _("Fair and site"),
        _("Name"),
        _("E-mail address"),
        _("Interests"),
        _("Rating"),
        _("Tags"),
        _("Note"),
    ]
    rows = [
        [
            timezone.localtime(contact.created_at).strftime("%Y-%m-%d %H:%M"),
            str(contact.event),
            contact.name if contact.shared else _("without contact sharing"),
            contact.email,
            contact.interests,
            contact.rating or "",
            ", ".join(contact.tags or []),
            contact.note,
        ]
        for contact in contacts
    ]
    return header, rows


@require_GET
def company_export(request, fmt):
    """The company's own contacts as CSV, XLSX or vCard (vCard: named contacts only)."""
    member, refused = _member_or_redirect(request)
    if refused:
        return refused
    if fmt not in ("csv", "xlsx", "vcf"):
        raise Http404
    company = member.company
    _form, contacts, _events = _filtered(request, company)
    contacts = list(contacts)
    audit.record_action(
        actor=request.user,
        organisation=None,
        action="stand_contacts_exported",
        target=company,
        details={"format": fmt, "rows": len(contacts)},
    )
    if fmt == "vcf":
        body = vcards(
            Card(
                name=contact.name,
                email=contact.email,
                note="\n".join(part for part in (contact.interests, contact.note) if part),
                categories=list(contact.tags or []),
            )
            for contact in contacts
            if contact.shared
        )
        content_type = "text/vcard; charset=utf-8"
    elif fmt == "xlsx":
        header, rows = _rows(contacts)
        body = exports.xlsx_bytes(header, rows, title=_("Contacts"))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        header, rows = _rows(contacts)
        body = exports.csv_bytes(header, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kontakte-{company.slug}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _share_url(request, booking) -> str:
    return request.build_absolute_uri(
        reverse("leads:share", kwargs={"code": services.stand_code(booking)})
    )


def _approved_booking(request, pk):
    """(booking, None) of the member's company, or (None, a redirect to sign in)."""
    member, refused = _member_or_redirect(request)
    if refused:
        return None, refused
    booking = get_company_booking_or_404(member.company, pk)
    if booking.status != "approved":
        raise Http404
    return booking, None


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def stand_sign(request, pk):
    """The stand sign (PDF, A4): the stand's QR code, with which visitors share their
    contact with the company."""
    booking, refused = _approved_booking(request, pk)
    if refused:
        return refused
    pdf = documents.stand_sign_pdf(booking, _share_url(request, booking))
    return _pdf(pdf, f"standschild-{booking.pk}.pdf")


@require_GET
def staff_passes(request, pk):
    """The booking's staff passes to print (PDF, a page per named pass): the pass's QR code
    for the door and the stand scanner, and the stand's QR code for visitors."""
    booking, refused = _approved_booking(request, pk)
    if refused:
        return refused
    passes = list(booking.staff_passes.filter(revoked_at__isnull=True).order_by("name"))
    if not passes:
        raise Http404
    pdf = documents.staff_passes_pdf(booking, passes, _share_url(request, booking))
    return _pdf(pdf, f"ausweise-{booking.pk}.pdf")


# --- The organiser -----------------------------------------------------------------------


@require_GET
def organiser_fairs_view(request):
    """The organiser's fairs, each with its contacts per company (counts only)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not core_access.is_organiser(request.user):
        raise Http404
    fairs = organiser_fairs(request.user).order_by("-event__starts_at")[:50]
    return render(
        request,
        "leads/organiser_fairs.html",
        {"fairs": [(fair, queries.counts_per_company(fair)) for fair in fairs]},
    )


@require_GET
def organiser_counts(request, pk):
    """Contacts per company at a fair: counts, never people."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not core_access.is_organiser(request.user):
        raise Http404
    fair = get_object_or_404(organiser_fairs(request.user), pk=pk)
    return render(
        request,
        "leads/organiser_counts.html",
        {"fair": fair, "rows": queries.counts_per_company(fair)},
    )

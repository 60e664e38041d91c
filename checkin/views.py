"""Door pages: the staff's event list, pairing, the scanner shell and its service worker,
and the door-tablet registration of walk-ins. The scanner page holds no personal data: it
is a cached shell that talks to the check-in API with its device token."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checkin.forms import DoorRegistrationForm
from checkin.qr import qr_data_uri
from events_platform import access, audit
from infra.errors import DomainError
from ticketing import services as ticketing_services

from . import queries, services

CACHE_GENERATION = 1  # raise when the shell changes in a way its asset URLs do not show
SCANNER_ASSETS = [
    "checkin/scanner.js",
    "checkin/offline.js",
    "checkin/checkin.css",
    "vendor/qr-scanner/qr-scanner.min.js",
    "vendor/qr-scanner/qr-scanner-worker.min.js",
    "vendor/noble-ed25519/index.js",
    "vendor/kern-ux/kern.min.css",
    "vendor/kern-ux/fonts/fira-sans.css",
    "events_platform/site.css",
    "events_platform/tables.js",
]


def staff_event_or_404(user, pk: int):
    """An event the user may scan for (assigned staff or its organiser); else 404."""
    event = queries.staff_events(user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


@login_required
@require_GET
def home(request):
    """The events this person may check people in for: today's first, then those to come;
    the past ones on a page of their own (`past`)."""
    now = timezone.now()
    today = timezone.localdate(now)
    current = list(queries.current_staff_events(request.user, now=now))
    organised = set(access.organiser_events(request.user).values_list("pk", flat=True))
    return render(
        request,
        "checkin/home.html",
        {
            "today": [e for e in current if timezone.localdate(e.starts_at) <= today],
            "coming": [e for e in current if timezone.localdate(e.starts_at) > today],
            "past_count": queries.past_staff_events(request.user, now=now).count(),
            "organised": organised,
        },
    )


@login_required
@require_GET
def past(request):
    """The events this person checked people in for that are over, the latest first."""
    events = list(queries.past_staff_events(request.user, now=timezone.now()))
    organised = set(access.organiser_events(request.user).values_list("pk", flat=True))
    return render(request, "checkin/past.html", {"events": events, "organised": organised})


@login_required
@require_POST
def use_this_device(request, pk):
    """Pair the browser in hand as a scanner for an event the user may scan for."""
    event = staff_event_or_404(request.user, pk)
    token = services.pairing_token(event=event)
    return redirect("checkin:pair", token=token)


@csrf_exempt  # the token in the address authorises (infra/secret_links.py)
@require_http_methods(["GET", "POST"])
def pair(request, token):
    """The page a pairing QR opens: name this device, then it becomes a scanner.

    The form pairs on the server, so the first tap pairs even before any script of the page
    has loaded (on a slow phone a script-driven button submitted the form as a plain GET
    and reloaded this page). The scanner takes its device token from the address's
    fragment, which no server, log or referrer sees, and removes it from the address.
    """
    if request.method == "POST":
        try:
            device, secret = services.pair_device(
                token=token, name=request.POST.get("name", ""), now=timezone.now()
            )
        except DomainError as error:
            return render(
                request, "checkin/pair.html", {"token": token, "error": error.message}, status=400
            )
        # The pairing code authorises, not a login (as at POST /api/checkin/pair/).
        audit.record_action(
            actor=None,
            organisation=device.event.organisation,
            action="device_paired",
            target=device,
            details={"entrance": str(device.entrance or "")},
        )
        return redirect(reverse("checkin:scanner") + "#device=" + secret)
    return render(request, "checkin/pair.html", {"token": token})


@require_GET
def scanner(request):
    """The scanner shell: camera, hand scanner, search and counters, offline-capable."""
    return render(
        request,
        "checkin/scanner.html",
        {"strings": scanner_strings(), "sw_url": request.path.replace("scanner/", "sw.js")},
    )


@never_cache
@require_GET
def service_worker(request):
    """The service worker: caches the scanner shell and its assets for offline use."""
    scope = request.path.rsplit("/", 1)[0] + "/"
    body = render_to_string(
        "checkin/sw.js",
        {
            "version": asset_version(),
            "shell": scope + "scanner/",
            "assets": [static(name) for name in SCANNER_ASSETS],
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    return response


def asset_version() -> str:
    """Changes whenever an asset's URL changes (hashed names in production), so caches renew."""
    names = "|".join(static(name) for name in SCANNER_ASSETS)
    return hashlib.sha256(f"{CACHE_GENERATION}|{names}".encode()).hexdigest()[:12]


def scanner_strings() -> dict:
    """Texts the scanner script shows, in the page's language."""
    return {
        "ok": _("Come in"),
        "okExit": _("Checked out"),
        "refused": _("Stop"),
        "attention": _("Attention"),
        "persons": _("Persons"),
        "photoYes": _("Minor: photos allowed"),
        "photoNo": _("Minor: NO photos"),
        "offline": _("Offline: scans are saved on this device"),
        "online": _("Online"),
        "pending": _("Waiting to upload: %(count)s"),
        "uploaded": _("Offline scans uploaded."),
        "notPaired": _("This device is not paired. Ask the organiser for a pairing code."),
        "cameraError": _("The camera could not be started. Use the hand scanner or the search."),
        "cameraStart": _("Start camera"),
        "cameraStop": _("Stop camera"),
        "noResults": _("Nobody found."),
        "checkIn": _("Check in"),
        "inside": _("inside"),
        "cancelled": _("cancelled"),
        "walkInCounted": _("Walk-in counted."),
        "offlineChecked": _("Checked on this device (offline)."),
        "invalid": _("This code is not a valid ticket (forged or unreadable)."),
        "wrongEvent": _("This ticket is for another event."),
        "unknown": _("This ticket is unknown."),
        "cancelledTicket": _("This ticket has been cancelled."),
        "already": _("Already checked in on this device."),
        "notInside": _("This person has not been checked in."),
        "notValidYet": _("This ticket is not valid yet."),
        "noLongerValid": _("This ticket is no longer valid."),
        "welcome": _("Welcome!"),
        "pairFailed": _("Pairing failed. Please ask for a new pairing code."),
    }


@login_required
@require_http_methods(["GET", "POST"])
def door_register(request, pk):
    """The door tablet: a walk-in registers in under a minute and gets a ticket on the spot."""
    event = staff_event_or_404(request.user, pk)
    if not event.walk_ins_allowed:
        raise Http404
    form = DoorRegistrationForm(request.POST or None)
    ticket = None
    if request.method == "POST" and form.is_valid():
        try:
            registration = ticketing_services.register(
                event=event, data=form.registration_input(), now=timezone.now(), by_organiser=True
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            ticket = registration.tickets.filter(status="valid").first()
            if ticket is None:
                messages.warning(request, _("The registration is on the waiting list."))
            form = DoorRegistrationForm()
    return render(
        request,
        "checkin/door_register.html",
        {
            "event": event,
            "form": form,
            "ticket": ticket,
            "qr": qr_data_uri(ticket.secret, alphanumeric=True) if ticket else "",
        },
    )

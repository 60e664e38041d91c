"""The visitor's application form, their page behind the secret link, and the company's
pages (a list per job offer with search, one application, its PDFs, the answer)."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events_platform import access as core_access
from events_platform.models import Event
from fairs.access import company_job_offers, membership_for
from fairs.models import JobOffer
from fairs.views.common import company_required, organiser_required
from infra import ratelimit
from infra.errors import DomainError

from . import services
from .forms import AnswerForm, ApplicationForm, SearchForm
from .models import Application, ApplicationFile, ApplicationTally

# --- The job wall ---------------------------------------------------------------------------


def _wall_event(offer: JobOffer, now):
    """The event an Apply button sends to: the wall's own, or on a series' wall the offer's
    next event whose wall shows it (else the last such event)."""
    if getattr(offer, "wall_event", None) is not None:
        return offer.wall_event
    events = sorted(offer.events.all(), key=lambda event: event.starts_at)
    upcoming = [event for event in events if event.ends_at >= now]
    past = [event for event in reversed(events) if event.ends_at < now]
    for event in upcoming + past:
        if services.offers_on_wall(event).filter(pk=offer.pk).exists():
            return event
    return None


def offer_action(request, offer) -> str | None:
    """The Apply button under a job offer on the job wall (job_offer_actions)."""
    now = timezone.now()
    event = _wall_event(offer, now)
    if event is None or not services.is_open(event, now=now):
        return None
    return render_to_string(
        "applications/_apply_button.html", {"offer": offer, "event": event}, request=request
    )


def company_links(request) -> list[tuple[str, str]]:
    """The company area's link to its applications."""
    if membership_for(request.user) is None:
        return []
    return [(_("Applications"), reverse("applications:company-offers"))]


def organiser_menu_items(request) -> list[tuple[str, str]]:
    """The organiser's link to the counts of applications at their events."""
    if not (request.user.is_authenticated and core_access.is_organiser(request.user)):
        return []
    return [(_("Applications to job offers"), reverse("applications:organiser-counts"))]


# --- The visitor ----------------------------------------------------------------------------


def _limited(request, email: str) -> bool:
    """Count one application; True when the IP or the e-mail address sent too many."""
    limits = settings.APPLICATIONS_RATE_LIMITS
    for scope, key in (("ip", ratelimit.client_ip(request)), ("email", email.lower())):
        if not key or scope not in limits:
            continue
        attempts, window = limits[scope]
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        if ratelimit.hit(f"applications-{scope}", digest, limit=attempts, window=window):
            return True
    return False


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, pk, slug):
    now = timezone.now()
    try:
        offer, event = services.open_offer(offer_pk=pk, event_slug=slug, now=now)
    except (Event.DoesNotExist, JobOffer.DoesNotExist):
        raise Http404 from None
    closed = not services.is_open(event, now=now)
    months = event.organisation.exhibitor_contacts_retention_months
    form = ApplicationForm(
        request.POST or None, request.FILES or None, consent_text=services.consent_text(months)
    )
    status = 200
    if request.method == "POST" and not closed:
        if form.is_valid():
            data = form.cleaned_data
            if _limited(request, data["email"]):
                form.add_error(None, _("Too many applications in a short time. Please try later."))
                status = 429
            else:
                try:
                    application = services.submit(
                        offer=offer,
                        event=event,
                        data=services.NewApplication(
                            name=data["name"],
                            email=data["email"],
                            phone=data["phone"],
                            message=data["message"],
                            cv=form.checked["cv"],
                            cv_name=data["cv"].name,
                            letter=form.checked["letter"],
                            letter_name=data["letter"].name,
                        ),
                        now=now,
                    )
                except DomainError as error:
                    form.add_error(None, str(error.message))
                    status = 409
                else:
                    messages.success(
                        request,
                        _(
                            "Your application has been sent. We have e-mailed you a receipt "
                            "with the link to this page."
                        ),
                    )
                    return redirect("applications:mine", token=application.token)
        else:
            status = 400
    return render(
        request,
        "applications/apply.html",
        {"offer": offer, "event": event, "form": form, "closed": closed},
        status=status,
    )


def _mine_or_404(token: str) -> Application:
    try:
        return Application.objects.select_related("job_offer", "company", "event").get(token=token)
    except Application.DoesNotExist:
        raise Http404 from None


@never_cache
@require_GET
def mine(request, token):
    application = _mine_or_404(token)
    return render(
        request,
        "applications/mine.html",
        {
            "application": application,
            "files": application.files.defer("data"),
            "answers": application.answers.all(),
            "token": token,
        },
    )


def _pdf_response(file: ApplicationFile) -> HttpResponse:
    response = HttpResponse(bytes(file.data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
def mine_file(request, token, kind):
    application = _mine_or_404(token)
    return _pdf_response(get_object_or_404(application.files, kind=kind))


@csrf_exempt  # the token in the address authorises (infra/secret_links.py)
@never_cache
@require_POST
def mine_withdraw(request, token):
    application = _mine_or_404(token)
    services.withdraw(application=application)
    return render(
        request,
        "applications/withdrawn.html",
        {"offer_title": application.job_offer.title, "company": application.company.name},
    )


# --- The company ----------------------------------------------------------------------------


def _company_applications(request):
    return Application.objects.filter(company=request.member.company)


@company_required
@require_GET
def company_offers(request):
    offers = (
        company_job_offers(request.member.company)
        .annotate(
            total=Count("applications", distinct=True),
            unread=Count(
                "applications",
                filter=Q(applications__status=Application.Status.RECEIVED),
                distinct=True,
            ),
        )
        .order_by("title", "pk")
    )  # counting drops the model's ordering
    return render(request, "applications/company_offers.html", {"offers": offers})


@company_required
@require_GET
def company_list(request, pk):
    offer = get_object_or_404(company_job_offers(request.member.company), pk=pk)
    form = SearchForm(request.GET or None)
    found = _company_applications(request).filter(job_offer=offer).select_related("event")
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        found = found.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(message__icontains=query)
        )
    return render(
        request,
        "applications/company_list.html",
        {"offer": offer, "form": form, "applications": found, "query": query},
    )


@company_required
@require_http_methods(["GET", "POST"])
def company_detail(request, pk):
    application = get_object_or_404(
        _company_applications(request).select_related("job_offer", "event"), pk=pk
    )
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.answer(
                application=application,
                status=form.cleaned_data["status"],
                body=form.cleaned_data["body"],
                by=request.user,
                now=timezone.now(),
            )
            messages.success(request, _("Your answer has been sent to the applicant."))
            return redirect("applications:company-detail", pk=application.pk)
        status = 400
    elif application.status == Application.Status.RECEIVED:
        services.mark_in_review(application=application)
        application.status = Application.Status.IN_REVIEW
    return render(
        request,
        "applications/company_detail.html",
        {
            "application": application,
            "files": application.files.defer("data"),
            "answers": application.answers.select_related("sent_by"),
            "form": form,
        },
        status=status,
    )


@company_required
@require_GET
def company_file(request, pk, kind):
    application = get_object_or_404(_company_applications(request), pk=pk)
    return _pdf_response(get_object_or_404(application.files, kind=kind))


# --- The organiser: counts only ---------------------------------------------------------------


@organiser_required
@require_GET
def organiser_counts(request):
    """How many applications each company received at the organiser's events: counts only,
    never who applied (that is between the applicant and the company)."""
    tallies = core_access.scope_to_organiser(
        request.user,
        ApplicationTally.objects.select_related("event__venue", "company"),
        path="event__organisation",
    ).order_by("-event__starts_at", "company__name")
    return render(request, "applications/organiser_counts.html", {"tallies": tallies})

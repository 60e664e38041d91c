"""The programme pages: the public list and page (German, English, plain language), the
company's sign-up with its mentors and mentees, and the organiser's pages (edit, events,
participants and pairs, figures, messages). An organiser sees only their organisations'
programmes and a company only its own sign-up; anything else answers 404."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events_platform import access as core_access
from events_platform.when import date_range, describe_event_time
from fairs.access import membership_for
from infra.errors import DomainError

from . import consent_texts, queries, services
from .forms import EventForm, MessageForm, PairForm, ParticipantForm, ProgrammeForm, SignupForm
from .models import PLAIN, Pair, Participant, Programme, ProgrammeEvent, ProgrammeMessage


def organiser_required(view: Callable) -> Callable:
    """Only for organisers; others get 404 (they learn nothing about the page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not core_access.is_organiser(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def company_required(view: Callable) -> Callable:
    """Only for people who act for a company (`request.member`); others are sent to sign in
    or to register their company."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = membership_for(request.user)
        if member is None:
            messages.info(request, _("To sign up to a programme, register your company first."))
            return redirect("fairs:company-signup")
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper


# --- Public ---------------------------------------------------------------------------------


def _event_rows(programme: Programme, *, public: bool = True) -> list[dict]:
    return [
        {
            "link": link,
            "event": link.event,
            "when": describe_event_time(link.event),
            "role": link.get_role_display(),
        }
        for link in queries.programme_events(programme, public=public)
    ]


@require_GET
def programme_list(request):
    programmes = queries.published().order_by("-starts_on")
    return render(request, "programmes/list.html", {"programmes": programmes})


def _page(request, slug: str, variant: str):
    programme = get_object_or_404(queries.published(), slug=slug)
    if variant == PLAIN and not programme.has_plain:
        raise Http404
    member = membership_for(request.user) if request.user.is_authenticated else None
    signup = queries.company_signup(programme, member.company) if member else None
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "plain": variant == PLAIN,
            "title": programme.text("title", variant),
            "offer": programme.text("offer", variant),
            "audience": programme.text("audience", variant),
            "dates": date_range(programme.starts_on, programme.ends_on),
            "events": _event_rows(programme),
            "signup": signup if signup and signup.is_active else None,
            "can_sign_up": queries.open_for_signup(programme, now=timezone.now()),
        },
    )


@require_GET
def programme_detail(request, slug):
    return _page(request, slug, (get_language() or "de")[:2])


@require_GET
def programme_plain(request, slug):
    """The page in plain German (Leichte Sprache), whatever the site's language."""
    return _page(request, slug, PLAIN)


# --- Companies ------------------------------------------------------------------------------


def _company_programme(slug: str) -> Programme:
    return get_object_or_404(queries.published(), slug=slug)


@company_required
@require_http_methods(["GET", "POST"])
def signup(request, slug):
    programme = _company_programme(slug)
    company = request.member.company
    existing = queries.company_signup(programme, company)
    now = timezone.now()
    if existing is None or not existing.is_active:
        if not queries.open_for_signup(programme, now=now):
            raise Http404
        initial = {
            "contact_name": request.user.get_full_name() or company.contact_name,
            "contact_email": request.user.email or company.contact_email,
            "contact_phone": company.contact_phone,
        }
    else:
        initial = {
            "contact_name": existing.contact_name,
            "contact_email": existing.contact_email,
            "contact_phone": existing.contact_phone,
            "international_employees": existing.international_employees,
            "needs": existing.needs,
            "needs_text": existing.needs_text,
        }
    form = SignupForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up(
                programme=programme,
                company=company,
                user=request.user,
                language=(get_language() or "de")[:2],
                now=now,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if existing is not None and existing.is_active:
                messages.success(request, _("Your details have been saved."))
            else:
                messages.success(
                    request,
                    _("%(company)s is signed up. We have sent a confirmation by e-mail.")
                    % {"company": company.name},
                )
            return redirect("programmes:company", slug=programme.slug)
    return render(
        request,
        "programmes/signup.html",
        {"programme": programme, "form": form, "existing": existing},
        status=400 if form.errors else 200,
    )


def _active_signup(request, programme):
    found = queries.company_signup(programme, request.member.company)
    if found is None or not found.is_active:
        return None
    return found


@company_required
@require_http_methods(["GET", "POST"])
def company_page(request, slug):
    """The company's part of a programme: its sign-up, its mentors and mentees (entered here
    with their consent), their pairs."""
    programme = _company_programme(slug)
    found = _active_signup(request, programme)
    if found is None:
        return redirect("programmes:signup", slug=programme.slug)
    language = (get_language() or "de")[:2]
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        consent_text=consent_texts.text_in(language),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.add_participant(
            signup=found,
            role=data["role"],
            name=data["name"],
            email=data["email"],
            job=data["job"],
            languages=data["languages"],
            consent_language=language,
            user=request.user,
            now=timezone.now(),
        )
        messages.success(request, _("%(name)s has been added.") % {"name": person.name})
        return redirect("programmes:company", slug=programme.slug)
    people = found.participants.select_related("pair__mentor").prefetch_related(
        "mentees_paired__mentee"
    )
    return render(
        request,
        "programmes/company.html",
        {
            "programme": programme,
            "signup": found,
            "people": people,
            "form": form,
            "events": _event_rows(programme),
        },
        status=400 if form.errors else 200,
    )


@company_required
@require_http_methods(["GET", "POST"])
def participant_remove(request, slug, pk):
    programme = _company_programme(slug)
    found = _active_signup(request, programme)
    if found is None:
        raise Http404
    person = get_object_or_404(Participant, pk=pk, signup=found)
    if request.method == "POST":
        services.withdraw_consent(participant=person)
        messages.success(request, _("%(name)s has been erased.") % {"name": person.name})
        return redirect("programmes:company", slug=programme.slug)
    return render(
        request, "programmes/participant_remove.html", {"programme": programme, "person": person}
    )


@company_required
@require_http_methods(["GET", "POST"])
def withdraw(request, slug):
    programme = _company_programme(slug)
    found = _active_signup(request, programme)
    if found is None:
        raise Http404
    if request.method == "POST":
        services.withdraw(signup=found, now=timezone.now())
        messages.success(request, _("Your company has left the programme."))
        return redirect("programmes:detail", slug=programme.slug)
    return render(
        request,
        "programmes/withdraw.html",
        {"programme": programme, "signup": found, "people": found.participants.count()},
    )


# --- Organisers -----------------------------------------------------------------------------


def organiser_menu_items(request) -> list[tuple[str, str]]:
    if not (request.user.is_authenticated and core_access.is_organiser(request.user)):
        return []
    return [(_("Programmes"), reverse("programmes:organiser-list"))]


def _organiser_programme(request, slug) -> Programme:
    return get_object_or_404(queries.organiser_programmes(request.user), slug=slug)


@organiser_required
@require_GET
def organiser_list(request):
    programmes = queries.organiser_programmes(request.user).order_by("-starts_on")
    return render(request, "programmes/organiser_list.html", {"programmes": programmes})


@organiser_required
@require_http_methods(["GET", "POST"])
def organiser_edit(request, slug=None):
    programme = _organiser_programme(request, slug) if slug else Programme()
    organisations = list(core_access.organisations_for(request.user))
    if not organisations:
        raise Http404
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None,
        instance=programme,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        if programme.pk is None:
            form.instance.organisation = form.cleaned_data.get("organisation") or organisations[0]
        saved = form.save()
        messages.success(request, _("The programme has been saved."))
        return redirect("programmes:organiser-edit", slug=saved.slug)
    events_form = None
    if programme.pk:
        events_form = EventForm(events=_addable_events(request, programme))
    return render(
        request,
        "programmes/organiser_edit.html",
        {
            "programme": programme if programme.pk else None,
            "form": form,
            "events": _event_rows(programme, public=False) if programme.pk else [],
            "events_form": events_form,
        },
        status=400 if form.errors else 200,
    )


def _addable_events(request, programme):
    return (
        core_access.organiser_events(request.user)
        .filter(organisation=programme.organisation)
        .exclude(pk__in=programme.programme_events.values("event"))
        .order_by("starts_at")
    )


@organiser_required
@require_POST
def organiser_event_add(request, slug):
    programme = _organiser_programme(request, slug)
    form = EventForm(request.POST, events=_addable_events(request, programme))
    if form.is_valid():
        ProgrammeEvent.objects.create(
            programme=programme, event=form.cleaned_data["event"], role=form.cleaned_data["role"]
        )
        messages.success(request, _("The event belongs to the programme now."))
    else:
        messages.error(request, _("Please choose an event and its role."))
    return redirect("programmes:organiser-edit", slug=programme.slug)


@organiser_required
@require_POST
def organiser_event_remove(request, slug, pk):
    programme = _organiser_programme(request, slug)
    get_object_or_404(ProgrammeEvent, programme=programme, pk=pk).delete()
    messages.success(request, _("The event has been taken out of the programme."))
    return redirect("programmes:organiser-edit", slug=programme.slug)


def _pair_form(programme, data=None):
    people = queries.participants(programme)
    return PairForm(
        data,
        mentors=people.filter(role=Participant.Role.MENTOR),
        mentees=people.filter(role=Participant.Role.MENTEE),
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def organiser_participants(request, slug):
    """Companies, mentors and mentees of the programme, their pairs and the figures; the
    pairing form posts here."""
    programme = _organiser_programme(request, slug)
    form = _pair_form(programme, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.pair(
                programme=programme,
                mentor=form.cleaned_data["mentor"],
                mentee=form.cleaned_data["mentee"],
                user=request.user,
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(mentor)s and %(mentee)s are a pair now.")
                % {"mentor": made.mentor.name, "mentee": made.mentee.name},
            )
            return redirect("programmes:organiser-participants", slug=programme.slug)
    return render(
        request,
        "programmes/organiser_participants.html",
        {
            "programme": programme,
            "form": form,
            "signups": queries.active_signups(programme),
            "people": queries.participants(programme),
            "pairs": Pair.objects.filter(programme=programme).select_related(
                "mentor__signup__company", "mentee__signup__company"
            ),
            "figures": queries.figures(programme),
        },
        status=400 if form.errors else 200,
    )


@organiser_required
@require_POST
def organiser_unpair(request, slug, pk):
    programme = _organiser_programme(request, slug)
    services.unpair(pair=get_object_or_404(Pair, programme=programme, pk=pk))
    messages.success(request, _("The pair has been dissolved."))
    return redirect("programmes:organiser-participants", slug=programme.slug)


@organiser_required
@require_http_methods(["GET", "POST"])
def organiser_messages(request, slug):
    """Write a message to the participants (then preview and send it); the log of messages."""
    programme = _organiser_programme(request, slug)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        written = ProgrammeMessage.objects.create(
            programme=programme,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            written_by=request.user,
            created_at=timezone.now(),
        )
        return redirect("programmes:organiser-message", slug=programme.slug, pk=written.pk)
    return render(
        request,
        "programmes/organiser_messages.html",
        {
            "programme": programme,
            "form": form,
            "log": programme.messages.all(),
            "recipients": len(queries.recipients(programme)),
        },
        status=400 if form.errors else 200,
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def organiser_message(request, slug, pk):
    """The preview of one message; sending it (once)."""
    programme = _organiser_programme(request, slug)
    message = get_object_or_404(ProgrammeMessage, programme=programme, pk=pk)
    if request.method == "POST":
        try:
            count = services.send_message(message=message, now=timezone.now())
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                ngettext(
                    "The message is on its way to %(count)s participant.",
                    "The message is on its way to %(count)s participants.",
                    count,
                )
                % {"count": count},
            )
        return redirect("programmes:organiser-messages", slug=programme.slug)
    paragraphs = [p for p in message.body.split("\n\n") if p.strip()]
    return render(
        request,
        "programmes/organiser_message.html",
        {
            "programme": programme,
            "message": message,
            "paragraphs": paragraphs,
            "recipients": queries.recipients(programme),
        },
    )


def survey_results_panel(request, survey) -> str | None:
    """On a survey's results page: the programmes built from the survey (the organiser's)."""
    programmes = list(queries.organiser_programmes(request.user).filter(survey=survey))
    if not programmes:
        return None
    return render_to_string(
        "programmes/_survey_panel.html", {"programmes": programmes}, request=request
    )


def event_panel(request, event) -> str | None:
    """On the public page of an event that belongs to a published programme: the programme."""
    links = list(
        ProgrammeEvent.objects.filter(
            event=event, programme__status=Programme.Status.PUBLISHED
        ).select_related("programme")
    )
    if not links:
        return None
    return render_to_string(
        "programmes/_event_panel.html", {"event": event, "links": links}, request=request
    )


def company_link_items(request) -> list[tuple[str, str]]:
    """The company area's links: each programme the company takes part in, or the list."""
    member = membership_for(request.user) if request.user.is_authenticated else None
    if member is None:
        return []
    items = [
        (
            _("Programme: %(title)s") % {"title": signup.programme.title},
            reverse("programmes:company", args=[signup.programme.slug]),
        )
        for signup in queries.programmes_of_company(member.company).filter(
            programme__status=Programme.Status.PUBLISHED
        )
    ]
    if not items and queries.published().exists():
        items.append((_("Programmes for companies"), reverse("programmes:list")))
    return items

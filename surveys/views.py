"""The survey pages: the organiser's (list, build, preview, open and close, invitations,
results, export) and the company's answering page (by its invitation link or the public
link), one section per page, saved as it goes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events_platform import access, when
from infra import exports, ratelimit
from infra.errors import DomainError

from . import queries, services
from .extensions import results_panels
from .forms import AnswerForm, QuestionForm, SectionEditForm, SectionForm, SurveyForm
from .models import Invitation, Question, Section, Survey


def _survey(request, pk: int) -> Survey:
    """The survey if the user organises for its organisation; 404 otherwise."""
    return get_object_or_404(queries.surveys_for(request.user), pk=pk)


def _organisations(request):
    organisations = access.organisations_for(request.user)
    if not organisations.exists():
        raise Http404
    return organisations


@login_required
@require_http_methods(["GET", "POST"])
def survey_list(request):
    organisations = _organisations(request)
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        organisation=organisations.first(),
        initial={"minutes": 10, "audience": Survey.Audience.DISTRICT},
    )
    several = organisations.count() > 1
    if request.method == "POST":
        organisation = organisations.filter(pk=request.POST.get("organisation")).first()
        if organisation is None:
            organisation = organisations.first() if not several else None
        if organisation is not None:
            form = SurveyForm(request.POST, organisation=organisation)
        if organisation is not None and form.is_valid():
            survey = services.create_survey(
                organisation=organisation,
                by=request.user,
                **{name: form.cleaned_data[name] for name in services.SURVEY_FIELDS},
            )
            messages.success(request, _("The survey has been created. Now add its questions."))
            return redirect("surveys:edit", pk=survey.pk)
    surveys = queries.surveys_for(request.user)
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": surveys, "form": form, "organisations": organisations, "several": several},
        status=400 if request.method == "POST" else 200,
    )


def _structure(survey: Survey):
    sections = list(survey.sections.prefetch_related("questions__choices"))
    return sections


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk: int):
    survey = _survey(request, pk)
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        instance=survey,
        organisation=survey.organisation,
    )
    section_form = SectionForm(prefix="section")
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        services.update_survey(survey=Survey.objects.get(pk=survey.pk), by=request.user, **fields)
        messages.success(request, _("The survey has been saved."))
        return redirect("surveys:edit", pk=survey.pk)
    if request.method == "POST":
        survey = Survey.objects.get(pk=survey.pk)
    return render(
        request,
        "surveys/survey_edit.html",
        {
            "survey": survey,
            "form": form,
            "section_form": section_form,
            "sections": _structure(survey),
            "draft": survey.state == Survey.State.DRAFT,
            "public_url": request.build_absolute_uri(
                reverse("surveys:public", args=[survey.public_token])
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def section_add(request, pk: int):
    survey = _survey(request, pk)
    form = SectionForm(request.POST, prefix="section")
    if form.is_valid():
        try:
            services.add_section(survey=survey, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The section has been added."))
        return redirect("surveys:edit", pk=survey.pk)
    return render(
        request,
        "surveys/survey_edit.html",
        {
            "survey": survey,
            "form": SurveyForm(instance=survey, organisation=survey.organisation),
            "section_form": form,
            "sections": _structure(survey),
            "draft": survey.state == Survey.State.DRAFT,
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, section_pk: int):
    survey = _survey(request, pk)
    section = get_object_or_404(Section, survey=survey, pk=section_pk)
    form = SectionEditForm(request.POST if request.method == "POST" else None, instance=section)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.delete_section(section=section)
                messages.success(request, _("The section has been deleted."))
                return redirect("surveys:edit", pk=survey.pk)
            if form.is_valid():
                services.update_section(section=section, **form.cleaned_data)
                messages.success(request, _("The section has been saved."))
                return redirect("surveys:edit", pk=survey.pk)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("surveys:edit", pk=survey.pk)
    return render(
        request,
        "surveys/section_edit.html",
        {"survey": survey, "section": section, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int, section_pk: int, question_pk: int | None = None):
    survey = _survey(request, pk)
    section = get_object_or_404(Section, survey=survey, pk=section_pk)
    question = get_object_or_404(Question, section=section, pk=question_pk) if question_pk else None
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        instance=question,
        survey=survey,
        initial={"kind": Question.Kind.SINGLE} if question is None else None,
    )
    if request.method == "POST":
        try:
            if question is not None and request.POST.get("action") == "delete":
                services.delete_question(question=question)
                messages.success(request, _("The question has been deleted."))
                return redirect("surveys:edit", pk=survey.pk)
            if form.is_valid():
                data = dict(form.cleaned_data)
                choices = data.pop("choices")
                data.pop("choices_text", None)
                if data.get("position") is None:
                    data.pop("position", None)
                services.save_question(section=section, question=question, choices=choices, **data)
                messages.success(request, _("The question has been saved."))
                return redirect(
                    reverse("surveys:edit", args=[survey.pk]) + f"#section-{section.pk}"
                )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("surveys:edit", pk=survey.pk)
    return render(
        request,
        "surveys/question_edit.html",
        {"survey": survey, "section": section, "question": question, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def preview(request, pk: int):
    """Every section as the company sees it (every question, conditions left aside)."""
    survey = _survey(request, pk)
    sections = [
        (section, AnswerForm(questions=list(section.questions.all()), draft={}))
        for section in survey.sections.prefetch_related("questions__choices")
    ]
    return render(request, "surveys/preview.html", {"survey": survey, "sections": sections})


@login_required
@require_POST
def change_state(request, pk: int):
    survey = _survey(request, pk)
    now = timezone.now()
    try:
        if request.POST.get("action") == "open":
            written = services.open_survey(survey=survey, by=request.user, now=now)
            survey.refresh_from_db()
            if survey.state == Survey.State.SCHEDULED:
                messages.success(
                    request,
                    _("The survey opens on %(start)s. The invitations go out then.")
                    % {"start": when.moment(survey.opens_at)},
                )
            else:
                messages.success(
                    request,
                    ngettext(
                        "The survey is open. %(count)s invitation has been written.",
                        "The survey is open. %(count)s invitations have been written.",
                        written,
                    )
                    % {"count": written},
                )
        elif request.POST.get("action") == "close":
            services.close_survey(survey=survey, by=request.user, now=now)
            messages.success(request, _("The survey is closed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("surveys:edit", pk=survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request, pk: int):
    survey = _survey(request, pk)
    if request.method == "POST":
        now = timezone.now()
        try:
            if request.POST.get("action") == "remind":
                count = services.remind(survey=survey, by=request.user, now=now)
                text = ngettext(
                    "%(count)s reminder has been written.",
                    "%(count)s reminders have been written.",
                    count,
                )
                messages.success(request, text % {"count": count})
            else:
                count = services.invite(survey=survey, by=request.user, now=now)
                text = ngettext(
                    "%(count)s invitation has been written.",
                    "%(count)s invitations have been written.",
                    count,
                )
                messages.success(request, text % {"count": count})
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("surveys:invitations", pk=survey.pk)
    rows = survey.invitations.filter(public=False).select_related("company")
    return render(
        request,
        "surveys/invitations.html",
        {
            "survey": survey,
            "rows": rows,
            "answered": rows.filter(answered=True).count(),
            "to_remind": rows.filter(answered=False, reminded=False).count(),
            "not_invited": len(
                {a.lower() for a, _c, _l in services.audience_addresses(survey)}
                - {e.lower() for e in rows.values_list("email", flat=True)}
            )
            if survey.state == Survey.State.OPEN
            else 0,
        },
    )


def _filters(request, survey: Survey) -> tuple[str, str]:
    if survey.anonymous:
        return "", ""
    sectors, sizes = queries.filter_choices()
    sector = request.GET.get("sector", "")
    size = request.GET.get("size", "")
    return (
        sector if sector in dict(sectors) else "",
        size if size in dict(sizes) else "",
    )


@login_required
@require_GET
def results(request, pk: int):
    survey = _survey(request, pk)
    sector, size = _filters(request, survey)
    sectors, sizes = queries.filter_choices()
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": queries.results(survey, sector=sector, size=size),
            "sectors": sectors,
            "sizes": sizes,
            "sector": sector,
            "size": size,
            "query": request.GET.urlencode(),
            "min_group": queries.MIN_GROUP,
            "panels": results_panels.render(request, survey),
        },
    )


@login_required
@require_GET
def export(request, pk: int, fmt: str):
    survey = _survey(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    sector, size = _filters(request, survey)
    header, rows = queries.export_rows(survey, sector=sector, size=size)
    name = f"umfrage-{survey.pk}"
    if fmt == "xlsx":
        body = exports.xlsx_bytes(header, rows, title=_("Results"))
        response = HttpResponse(body, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(
            exports.csv_bytes(header, rows), content_type=exports.CSV_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- Answering ---------------------------------------------------------------------------


# Starts of a public survey per address and hour (each start is a new link and a new row).
PUBLIC_STARTS_PER_HOUR = 30


def _language() -> str:
    return (translation.get_language() or "de")[:2]


@csrf_exempt  # behind a secret link: no Referer, so no Origin to check; acts by the token
@require_http_methods(["GET", "POST"])
def public(request, token: str):
    """The public link: its start page; starting gives the visitor a link of their own."""
    survey = get_object_or_404(
        Survey.objects.select_related("organisation"),
        public_token=token,
        audience=Survey.Audience.PUBLIC,
    )
    now = timezone.now()
    open_now = services.is_answerable(survey, now)
    limited = False
    if request.method == "POST" and open_now:
        limited = ratelimit.hit(
            "survey-start", ratelimit.client_ip(request), limit=PUBLIC_STARTS_PER_HOUR, window=3600
        )
        if not limited:
            invitation = services.start_public(survey=survey, language=_language(), now=now)
            return redirect("surveys:answer", token=invitation.token)
    return render(
        request,
        "surveys/start.html",
        {"survey": survey, "open_now": open_now, "limited": limited},
        status=429 if limited else 200,
    )


@csrf_exempt  # behind a secret link: no Referer, so no Origin to check; acts by the token
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """One section of the survey; sending it saves it and moves on; the last one sends."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("survey__organisation", "company"), token=token
    )
    survey = invitation.survey
    now = timezone.now()
    if invitation.answered:
        return render(request, "surveys/thanks.html", {"survey": survey})
    if not services.is_answerable(survey, now):
        return render(request, "surveys/start.html", {"survey": survey, "open_now": False})
    sections = list(survey.sections.prefetch_related("questions__choices"))
    sections = [s for s in sections if s.questions.all()]
    if not sections:
        raise Http404
    try:
        index = int(request.GET.get("abschnitt", ""))
    except ValueError:
        index = _first_open(sections, invitation)
    index = min(max(index, 0), len(sections) - 1)
    section = sections[index]
    draft = invitation.draft
    shown = [q for q in section.questions.all() if services.is_shown(q, draft)]
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=shown,
                      draft=draft)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        values = form.values()
        after = {**draft, **{str(k): v for k, v in values.items()}}
        for question in section.questions.all():
            if str(question.pk) not in {str(k) for k in values}:
                after.pop(str(question.pk), None)
        now_shown = [q for q in section.questions.all() if services.is_shown(q, after)]
        more = [q for q in now_shown if q not in shown]
        last = index == len(sections) - 1 and not more
        try:
            with transaction.atomic():
                services.save_section(
                    invitation=invitation, section=section, values=values, now=now, last=last
                )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("surveys:answer", token=token)
        if more:
            messages.info(request, _("Saved. Your answer brings further questions on this page."))
            return redirect(reverse("surveys:answer", args=[token]) + f"?abschnitt={index}")
        if last:
            return redirect("surveys:answer", token=token)
        messages.success(request, _("Saved. You can leave and come back later with your link."))
        return redirect(reverse("surveys:answer", args=[token]) + f"?abschnitt={index + 1}")
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "invitation": invitation,
            "section": section,
            "form": form,
            "index": index,
            "number": index + 1,
            "count": len(sections),
            "last": index == len(sections) - 1,
            "previous": index - 1 if index > 0 else None,
        },
        status=400 if request.method == "POST" else 200,
    )


def _first_open(sections: list[Section], invitation: Invitation) -> int:
    """Where a returning company goes on: the first section without a saved answer."""
    for index, section in enumerate(sections):
        if not any(str(q.pk) in invitation.draft for q in section.questions.all()):
            return index
    return len(sections) - 1

"""The company account: sign-up, e-mail confirmation, dashboard, profile and logo,
colleagues and invitations."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events_platform.extensions import company_links
from infra.errors import DomainError

from .. import queries, services
from ..access import company_bookings, company_job_offers, membership_for
from ..forms import InviteAcceptForm, InviteForm, ProfileForm, SignupForm
from ..images import logo_content_type
from ..models import Company, CompanyMember, WaitlistEntry
from .common import company_required, report


@require_http_methods(["GET", "POST"])
def signup(request):
    if membership_for(request.user):
        return redirect("fairs:company-home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.sign_up_company(
                name=data["name"],
                sector=data["sector"],
                email=data["email"],
                password=data["password1"],
                contact_name=data["contact_name"],
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error("email", str(error.message))
        else:
            login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! We have sent you an e-mail. Please confirm your address."),
            )
            return redirect("fairs:company-home")
    return render(request, "fairs/signup.html", {"form": form})


@require_GET
def confirm_email(request, token):
    try:
        company = services.confirm_company_email(token=token, now=timezone.now())
    except DomainError as error:
        return render(request, "fairs/confirm.html", {"error": error.message}, status=400)
    return render(request, "fairs/confirm.html", {"company": company})


@company_required
@require_POST
def resend_confirmation(request):
    if request.member.company.email_confirmed_at is None:
        services.request_company_email_confirmation(
            company=request.member.company, user=request.user
        )
        messages.success(request, _("We have sent the link again."))
    return redirect("fairs:company-home")


@company_required
@require_GET
def dashboard(request):
    company = request.member.company
    return render(
        request,
        "fairs/dashboard.html",
        {
            "company": company,
            "member": request.member,
            "bookings": company_bookings(company).order_by("fair__event__starts_at", "pk"),
            # Each organisation checks a company for itself before it confirms a stand.
            "awaiting_check": not company.verifications.exists()
            or queries.requests_awaiting_verification(company).exists(),
            "offers": company_job_offers(company),
            # Links other apps add to the company area (applications, stand contacts …).
            "more_links": company_links.links(request),
            "waitlist": WaitlistEntry.objects.filter(
                company=company,
                status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
            ).select_related("fair__event__venue", "offered_booking__stand"),
        },
    )


@company_required
@require_http_methods(["GET", "POST"])
def profile(request):
    company = request.member.company
    form = ProfileForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        try:
            services.update_company_profile(
                company=company,
                data=data,
                logo=form.cleaned_data.get("logo_upload"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("fairs:company-profile")
    return render(request, "fairs/profile.html", {"form": form, "company": company})


@require_GET
def logo(request, slug):
    """The logo as an image (content type from the server-chosen extension, never HTML)."""
    company = get_object_or_404(Company, slug=slug)
    if not company.logo:
        raise Http404
    response = FileResponse(
        company.logo.open("rb"), content_type=logo_content_type(company.logo.name)
    )
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@company_required
@require_http_methods(["GET", "POST"])
def members(request):
    company = request.member.company
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_company_member(
                by=request.member,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error("email", str(error.message))
        else:
            messages.success(
                request,
                _("We have sent an invitation to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("fairs:company-members")
    return render(
        request,
        "fairs/members.html",
        {
            "form": form,
            "member": request.member,
            "members": company.members.select_related("user").order_by("user__email"),
        },
    )


@company_required
@require_POST
def remove_member(request, pk):
    target = get_object_or_404(CompanyMember, pk=pk, company=request.member.company)
    try:
        services.remove_company_member(by=request.member, member=target)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The colleague has been removed."))
    return redirect("fairs:company-members")


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    try:
        company, email, _role = services.companies.read_invitation(token)
    except DomainError as error:
        return render(request, "fairs/invite_accept.html", {"error": error.message}, status=400)
    signed_in = request.user.is_authenticated
    form = None if signed_in else InviteAcceptForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            member = services.accept_company_invitation(
                token=token,
                user=request.user if signed_in else None,
                password="" if signed_in else form.cleaned_data["password1"],
                now=timezone.now(),
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            if not signed_in:
                login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("You now act for %(company)s.") % {"company": company})
            return redirect("fairs:company-home")
    return render(
        request,
        "fairs/invite_accept.html",
        {"company": company, "email": email, "form": form, "signed_in": signed_in},
    )

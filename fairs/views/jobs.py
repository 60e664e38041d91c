"""A company's job offers and apprenticeship places."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from infra.errors import DomainError

from .. import services
from ..access import company_job_offers
from ..forms import JobOfferForm
from ..models import JobOffer
from .common import company_required


def _events(company):
    return services.exhibiting_events(company).select_related("venue")


@company_required
@require_GET
def offer_list(request):
    offers = company_job_offers(request.member.company)
    return render(request, "fairs/offer_list.html", {"offers": offers})


def _save(request, form: JobOfferForm, offer: JobOffer | None):
    data = {name: form.cleaned_data[name] for name in JobOfferForm.Meta.fields}
    events = list(form.cleaned_data["events"])
    if offer is None:
        return services.create_job_offer(company=request.member.company, data=data, events=events)
    return services.update_job_offer(offer=offer, data=data, events=events)


@company_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk=None):
    company = request.member.company
    offer = get_object_or_404(company_job_offers(company), pk=pk) if pk else None
    form = JobOfferForm(request.POST or None, instance=offer, events=_events(company))
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, offer)
        except DomainError as error:
            form.add_error("events", str(error.message))
        else:
            messages.success(request, _("The offer has been saved."))
            return redirect("fairs:job-offer-list")
    return render(request, "fairs/offer_form.html", {"form": form, "offer": offer})


@company_required
@require_POST
def offer_delete(request, pk):
    offer = get_object_or_404(company_job_offers(request.member.company), pk=pk)
    services.delete_job_offer(offer=offer)
    messages.success(request, _("The offer has been deleted."))
    return redirect("fairs:job-offer-list")

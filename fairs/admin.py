"""The organiser back office for exhibitors: fairs, halls and stands (with CSV import),
bookings (confirm, reject, cancel with a message), the waiting list (offer a freed stand)
and company verification (per organisation). Every list is scoped to the organiser's own
events; companies are those with dealings with their events (see fairs.access)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from events_platform.admin import OrganisationScopedAdmin, OrganisationScopedInline
from infra.errors import DomainError

from . import access, queries, services
from .errors import ErrorCode
from .models import Company, Fair, Hall, JobOffer, StaffPass, Stand, StandBooking, WaitlistEntry

FAIRS_PATHS = {
    **OrganisationScopedAdmin.related_organisation_paths,
    Fair: "event__organisation",
    Hall: "fair__event__organisation",
    Stand: "hall__fair__event__organisation",
}


class MessageActionForm(ActionForm):
    message = forms.CharField(
        label=_("Message to the company (needed to reject or cancel)"),
        required=False,
        max_length=2000,
    )


def _run(modeladmin, request, queryset, use_case, done_message) -> None:
    """Apply a use case to each selected row; report each refusal by its message."""
    done = 0
    for obj in queryset:
        try:
            use_case(obj)
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


class VerifiedHereFilter(admin.SimpleListFilter):
    title = _("verified by your organisation")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(verified_here=self.value() == "yes")
        return queryset


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "town", "email_confirmed_at", "verified_here"]
    list_filter = ["sector", VerifiedHereFilter]
    search_fields = ["name", "town", "contact_email"]
    readonly_fields = [
        "name",
        "slug",
        "sector",
        "description_de",
        "description_en",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "street",
        "postcode",
        "town",
        "logo",
        "email_confirmed_at",
        "verified_here",
    ]
    actions = ["verify"]

    def get_queryset(self, request):
        return access.organiser_companies(request.user)

    def has_module_permission(self, request):
        return request.user.is_staff and access.core_access.is_organiser(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # Short, so that the column heading fits; the filter's title says whose verification.
    @admin.display(description=_("verified"), boolean=True)
    def verified_here(self, company: Company) -> bool:
        return bool(getattr(company, "verified_here", False))

    @admin.action(description=_("Verify the selected companies for your organisation"))
    def verify(self, request, queryset):
        now = timezone.now()

        def verify(company):
            # For each of the user's organisations the company deals with.
            for organisation in access.verifying_organisations(request.user, company):
                services.verify_company(
                    company=company, organisation=organisation, by=request.user, now=now
                )

        _run(
            self,
            request,
            queryset,
            verify,
            ngettext_lazy("%(count)d company verified.", "%(count)d companies verified.", "count"),
        )


@admin.register(Fair)
class FairAdmin(OrganisationScopedAdmin):
    organisation_path = "event__organisation"
    related_organisation_paths = FAIRS_PATHS
    list_display = ["event", "booking_closes_at", "cancellation_deadline", "max_exhibitors"]
    search_fields = ["event__title_de", "event__venue__town"]
    autocomplete_fields = []


class StandInline(OrganisationScopedInline):
    """The hall's stands at a glance; each is edited on its own page (labelled fields)."""

    model = Stand
    organisation_path = "hall__fair__event__organisation"
    related_organisation_paths = FAIRS_PATHS
    fields = ["label", "kind", "x_m", "y_m", "width_m", "depth_m", "price", "has_power",
              "has_water", "blocked"]  # fmt: skip
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Stand)
class StandAdmin(OrganisationScopedAdmin):
    organisation_path = "hall__fair__event__organisation"
    related_organisation_paths = FAIRS_PATHS
    list_display = ["label", "hall", "kind", "area", "price", "has_power", "has_water",
                    "blocked"]  # fmt: skip
    list_filter = ["kind", "blocked", "hall__fair__event__venue__town"]
    search_fields = ["label", "hall__name"]

    @admin.display(description=_("area (m²)"))
    def area(self, stand: Stand):
        return stand.area_m2


# A hall's stand plan is a few hundred rows; anything much bigger is a mistake or an attack.
STAND_IMPORT_MAX_BYTES = 1024 * 1024


class StandImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: label, kind (row, corner, head, island), x, y, width, depth (metres), "
            "price (EUR), power, water, blocked (yes/no). Comma or semicolon separated."
        ),
    )

    def clean_file(self):
        """Only text up to 1 MB; the file is read, never stored or served."""
        upload = self.cleaned_data["file"]
        if upload.size > STAND_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file may be at most 1 MB."))
        head = upload.read(8192)
        upload.seek(0)
        if b"\0" in head:
            raise forms.ValidationError(
                _("This is not a CSV file. Please save the table as CSV (comma or semicolon).")
            )
        return upload


@admin.register(Hall)
class HallAdmin(OrganisationScopedAdmin):
    organisation_path = "fair__event__organisation"
    related_organisation_paths = FAIRS_PATHS
    list_display = ["name", "fair", "width_m", "depth_m"]
    inlines = [StandInline]
    change_form_template = "admin/fairs/hall/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/import/",
                self.admin_site.admin_view(self.import_view),
                name="fairs_hall_import",
            )
        ] + super().get_urls()

    def import_view(self, request, pk):
        hall = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, hall):
            raise PermissionDenied
        form = StandImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")
            try:
                count = services.import_stands_csv(hall=hall, text=text)
            except services.StandImportError as error:
                errors = error.errors
            else:
                self.message_user(
                    request,
                    ngettext("%(count)d stand imported.", "%(count)d stands imported.", count)
                    % {"count": count},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:fairs_hall_change", args=[hall.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import stands into %(hall)s") % {"hall": hall},
            "hall": hall,
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/fairs/hall/import.html", context)


@admin.register(StandBooking)
class StandBookingAdmin(OrganisationScopedAdmin):
    organisation_path = "fair__event__organisation"
    related_organisation_paths = FAIRS_PATHS
    list_display = ["stand", "company", "fair", "status", "total_price", "requested_at"]
    list_filter = ["status", "fair__event__venue__town"]
    search_fields = ["company__name", "stand__label"]
    action_form = MessageActionForm
    actions = ["approve", "reject", "cancel"]
    readonly_fields = [f.name for f in StandBooking._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _message(self, request) -> str:
        return request.POST.get("message", "")

    @admin.action(description=_("Confirm the selected bookings"))
    def approve(self, request, queryset):
        now = timezone.now()
        _run(
            self,
            request,
            queryset,
            lambda b: services.approve_booking(booking=b, by=request.user, now=now),
            ngettext_lazy("%(count)d booking confirmed.", "%(count)d bookings confirmed.", "count"),
        )

    @admin.action(description=_("Reject the selected bookings (with the message)"))
    def reject(self, request, queryset):
        now, reason = timezone.now(), self._message(request)
        _run(
            self,
            request,
            queryset,
            lambda b: services.reject_booking(booking=b, by=request.user, reason=reason, now=now),
            ngettext_lazy("%(count)d booking rejected.", "%(count)d bookings rejected.", "count"),
        )

    @admin.action(description=_("Cancel the selected bookings (with the message)"))
    def cancel(self, request, queryset):
        now, reason = timezone.now(), self._message(request)
        _run(
            self,
            request,
            queryset,
            lambda b: services.cancel_booking(booking=b, by=request.user, reason=reason, now=now),
            ngettext_lazy("%(count)d booking cancelled.", "%(count)d bookings cancelled.", "count"),
        )


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(OrganisationScopedAdmin):
    organisation_path = "fair__event__organisation"
    related_organisation_paths = FAIRS_PATHS
    list_display = ["company", "fair", "status", "created_at", "note"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in WaitlistEntry._meta.fields]
    actions = ["offer_next_free_stand"]

    def has_add_permission(self, request, *args):
        return False

    @admin.action(description=_("Offer the next free stand to the selected companies"))
    def offer_next_free_stand(self, request, queryset):
        now = timezone.now()

        def offer(entry):
            stand = queries.free_stands(entry.fair).order_by("hall__name", "label").first()
            if stand is None:
                raise DomainError(gettext("There is no free stand."), ErrorCode.NO_FREE_STAND)
            services.offer_stand(entry=entry, stand_id=stand.pk, by=request.user, now=now)

        _run(
            self,
            request,
            queryset.order_by("created_at"),
            offer,
            ngettext_lazy("%(count)d offer made.", "%(count)d offers made.", "count"),
        )


@admin.register(JobOffer)
class JobOfferAdmin(OrganisationScopedAdmin):
    organisation_path = "events__organisation"
    list_display = ["title", "company", "kind", "place_of_work"]
    list_filter = ["kind", "company__sector"]
    search_fields = ["title", "company__name"]
    readonly_fields = ["company", "title", "kind", "field_of_work", "place_of_work",
                       "starts_immediately", "start_date", "start_note", "contact", "url",
                       "description", "events"]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffPass)
class StaffPassAdmin(OrganisationScopedAdmin):
    organisation_path = "booking__fair__event__organisation"
    list_display = ["name", "booking", "created_at", "revoked_at"]
    search_fields = ["name", "booking__company__name"]
    readonly_fields = ["booking", "name", "serial", "created_at", "revoked_at"]
    exclude = ["secret"]

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

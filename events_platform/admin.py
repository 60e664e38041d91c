"""The organiser back office: Django admin, every list and choice scoped to the user's
organisations. Other apps build their admin classes on `OrganisationScopedAdmin`."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.db import models
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from infra.errors import DomainError

from . import access, audit, services
from .extensions import cancellation_effects
from .models import (
    AuditEntry,
    Event,
    EventSeries,
    Membership,
    Organisation,
    Session,
    TargetGroup,
    TimeSlot,
    Venue,
)

admin.site.site_header = _("Events back office")
admin.site.site_title = _("Events back office")
admin.site.index_title = _("Organise events")


class OrganisationScopedMixin:
    """Scopes an admin (or inline) to the organisations the user organises for.

    `organisation_path` is the lookup from the model to its organisation, for example
    `"organisation"` or `"event__organisation"`. Foreign-key choices are scoped the same way
    when the related model has an `organisation_path` entry in `related_organisation_paths`
    (defaults cover the core models).
    """

    organisation_path = "organisation"
    related_organisation_paths = {
        Organisation: "pk",
        Venue: "organisation",
        EventSeries: "organisation",
        Event: "organisation",
        TimeSlot: "event__organisation",
        Session: "event__organisation",
    }
    # A web address typed without a scheme is taken as https:// (as in the site's own
    # forms), which is also Django 6's default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request) -> QuerySet:
        queryset = super().get_queryset(request)
        return access.scope_to_organiser(request.user, queryset, path=self.organisation_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        self._scope_choices(db_field, request, field)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        self._scope_choices(db_field, request, field)
        return field

    def _scope_choices(self, db_field, request, field) -> None:
        if field is None or not hasattr(field, "queryset"):
            return
        path = self.related_organisation_paths.get(db_field.related_model)
        if path == "pk":
            field.queryset = access.organisations_for(request.user)
        elif path:
            field.queryset = access.scope_to_organiser(request.user, field.queryset, path=path)

    def _is_organiser(self, request) -> bool:
        # Asked for every model and permission of a page (the app list alone asks some
        # hundred times): one query per request, not one per question.
        cached = getattr(request, "_events_is_organiser", None)
        if cached is None:
            cached = bool(
                request.user.is_active
                and request.user.is_staff
                and access.is_organiser(request.user)
            )
            request._events_is_organiser = cached
        return cached

    def has_module_permission(self, request) -> bool:
        return self._is_organiser(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_organiser(request)

    def has_add_permission(self, request, *args) -> bool:
        return self._is_organiser(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_organiser(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._is_organiser(request)


class OrganisationScopedAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    """A ModelAdmin whose rows, choices and new objects stay inside the user's organisations.

    Every addition, change and deletion also goes to the organisation's audit log.
    """

    def _organisation_of(self, obj):
        if self.organisation_path == "pk":
            return obj
        target = obj
        for part in self.organisation_path.split("__"):
            target = getattr(target, part, None)
            if target is None:
                return None
        return target

    def _audit(self, request, obj, action: str, message) -> None:
        details = {"message": json.loads(json.dumps(message, default=str))} if message else {}
        audit.record_action(
            actor=request.user,
            organisation=self._organisation_of(obj),
            action=action,
            target=obj,
            details=details,
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "admin_added", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "admin_changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "admin_deleted", None)
        return super().log_deletions(request, queryset)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A single-organisation organiser does not choose: the organisation is theirs.
        organisation_field = form.base_fields.get("organisation")
        if organisation_field is not None:
            organisations = access.organisations_for(request.user)
            if organisations.count() == 1:
                organisation_field.initial = organisations.first()
        return form


class OrganisationScopedInline(OrganisationScopedMixin, admin.TabularInline):
    """An inline whose choices stay inside the user's organisations."""

    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "pk"
    list_display = ["name", "district", "contact_email"]
    search_fields = ["name", "slug", "district"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request) -> QuerySet:
        return access.organisations_for(request.user)

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request, obj)
        return access.is_org_admin(request.user, obj) and super().has_change_permission(
            request, obj
        )


class MembershipForm(forms.ModelForm):
    """Members are named by e-mail: organisers never pick from the platform's user list."""

    email = forms.EmailField(label=_("e-mail address"))

    class Meta:
        model = Membership
        fields = ["organisation", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
            self.fields["email"].disabled = True

    def save(self, commit=True):
        if not self.instance.pk:
            email = self.cleaned_data["email"].lower()
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User(username=email, email=email, is_staff=True)
                user.set_unusable_password()
                user.save()
            self.instance.user = user
        return super().save(commit)


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    form = MembershipForm
    list_display = ["user", "organisation", "role", "created_at"]
    # RelatedOnly: choices from the scoped rows, not every organisation on the platform.
    list_filter = ["role", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "organisation__name"]

    def _admin_of_target(self, request, obj) -> bool:
        return obj is None or access.is_org_admin(request.user, obj.organisation)

    def has_add_permission(self, request, *args) -> bool:
        is_admin_somewhere = (
            request.user.is_superuser
            or access.organisations_for(
                request.user, roles=[Membership.Role.ORGANISER_ADMIN]
            ).exists()
        )
        return is_admin_somewhere and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._admin_of_target(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._admin_of_target(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation" and field is not None:
            # Only an organisation's admins hand out its roles.
            field.queryset = access.organisations_for(
                request.user, roles=[Membership.Role.ORGANISER_ADMIN]
            )
        return field


@admin.register(Venue)
class VenueAdmin(OrganisationScopedAdmin):
    list_display = ["name", "town", "postcode", "organisation"]
    list_filter = ["town"]
    search_fields = ["name", "town", "street"]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    """Target groups are shared by all organisations; only platform admins change them."""

    list_display = ["name_de", "name_en", "slug"]
    search_fields = ["name_de", "name_en"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or access.is_organiser(request.user)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class EventInline(OrganisationScopedInline):
    model = Event
    fields = ["title_de", "venue", "starts_at", "ends_at", "status", "capacity"]
    # Publishing, cancelling and the capacity go through the lifecycle services (the event's
    # own page and its actions): here they are shown, not typed.
    readonly_fields = ["status", "capacity"]
    show_change_link = True


@admin.register(EventSeries)
class EventSeriesAdmin(OrganisationScopedAdmin):
    list_display = ["title_de", "organisation", "slug"]
    search_fields = ["title_de", "title_en"]
    prepopulated_fields = {"slug": ["title_de"]}
    inlines = [EventInline]


class TimeSlotInline(OrganisationScopedInline):
    model = TimeSlot
    organisation_path = "event__organisation"
    fields = ["label", "starts_at", "ends_at", "capacity"]


class SessionInline(OrganisationScopedInline):
    model = Session
    organisation_path = "event__organisation"
    fields = ["title_de", "title_en", "speaker", "room", "starts_at", "ends_at", "capacity"]


@admin.register(Event)
class EventAdmin(OrganisationScopedAdmin):
    list_display = ["title_de", "kind", "venue", "starts_at", "status", "capacity", "series"]
    list_filter = [
        "status",
        "kind",
        ("series", admin.RelatedOnlyFieldListFilter),  # only the user's series
        "venue__town",
    ]
    search_fields = ["title_de", "title_en", "venue__town", "slug"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title_de"]}
    filter_horizontal = ["target_groups"]
    inlines = [TimeSlotInline, SessionInline]
    actions = ["publish", "cancel"]
    fieldsets = [
        (None, {"fields": ["organisation", "series", "kind", "status", "slug"]}),
        (_("Texts"), {"fields": ["title_de", "title_en", "description_de", "description_en"]}),
        (
            _("Place and time"),
            {"fields": ["venue", "starts_at", "ends_at", "all_day", "same_hours_daily"]},
        ),
        (
            _("Registration"),
            {
                "fields": [
                    "capacity",
                    "registration_required",
                    "walk_ins_allowed",
                    "registration_opens_at",
                    "registration_closes_at",
                    "min_age",
                    "max_age",
                    "target_groups",
                ]
            },
        ),
    ]

    # The status changes only through the lifecycle services (the actions below).
    readonly_fields = ["status"]

    def save_model(self, request, obj, form, change):
        """A new capacity of an existing event goes through change_capacity, which offers
        freed places to the waiting list at once and refuses one below the places held."""
        if not (change and "capacity" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        capacity = obj.capacity
        obj.capacity = form.initial.get("capacity")
        super().save_model(request, obj, form, change)
        try:
            result = services.change_capacity(
                event=obj, capacity=capacity, by=request.user, now=timezone.now()
            )
        except DomainError as error:
            self.message_user(request, f"{obj}: {error.message}", messages.ERROR)
            return
        obj.capacity = result.capacity
        if result.places_offered:
            self.message_user(
                request,
                ngettext(
                    "%(count)d place was offered to the waiting list.",
                    "%(count)d places were offered to the waiting list.",
                    result.places_offered,
                )
                % {"count": result.places_offered},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publish the selected events"))
    def publish(self, request, queryset):
        published = 0
        for event in queryset.filter(status=Event.Status.DRAFT):
            try:
                services.publish_event(event=event, by=request.user, now=timezone.now())
            except DomainError as error:
                self.message_user(request, f"{event}: {error.message}", messages.ERROR)
                continue
            published += 1
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", published)
            % {"count": published},
        )

    @admin.action(description=_("Cancel the selected events …"))
    def cancel(self, request, queryset):
        """Asks first (what cancelling does, an optional message to everyone told), then
        cancels each event through cancel_event."""
        events = list(
            queryset.exclude(status=Event.Status.CANCELLED).select_related("venue", "organisation")
        )
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/events_platform/event/cancel_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Cancel events"),
                    "opts": self.model._meta,
                    "events": [(event, cancellation_effects.sentences(event)) for event in events],
                    "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "already_cancelled": queryset.filter(status=Event.Status.CANCELLED).count(),
                },
            )
        reason = request.POST.get("reason", "")[:2000]
        cancelled = 0
        for event in events:
            try:
                result = services.cancel_event(
                    event=event, by=request.user, now=timezone.now(), reason=reason
                )
            except DomainError as error:
                self.message_user(request, f"{event}: {error.message}", messages.ERROR)
                continue
            cancelled += not result.already_cancelled
        self.message_user(
            request,
            ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", cancelled)
            % {"count": cancelled},
        )
        return None


@admin.register(AuditEntry)
class AuditEntryAdmin(OrganisationScopedAdmin):
    """The audit log, read-only, for the organisation's administrators."""

    list_display = ["created_at", "actor", "what", "target_repr", "organisation"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "actor__username"]
    date_hierarchy = "created_at"

    @admin.display(description=_("What"), ordering="action")
    def what(self, entry: AuditEntry) -> str:
        return audit.action_label(entry.action)

    def get_queryset(self, request) -> QuerySet:
        return AuditEntry.objects.filter(
            organisation__in=access.organisations_for(
                request.user, roles=[Membership.Role.ORGANISER_ADMIN]
            )
        ).select_related("actor", "organisation")

    def has_module_permission(self, request) -> bool:
        return (
            request.user.is_superuser
            or access.organisations_for(
                request.user, roles=[Membership.Role.ORGANISER_ADMIN]
            ).exists()
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Data-subject requests: the log and the page that runs one (its own module).

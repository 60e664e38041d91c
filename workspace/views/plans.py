"""Stand plans drawn, not typed: the organiser's hall editor.

One page per hall shows the plan as SVG beside a form for exact values. The form posts to
the same address with or without JavaScript: without it the page reloads, with it
plan-editor.js sends the form (Accept: application/json) and gets the saved stand or the
refusal back as JSON. Every change goes through the services in fairs/services/plans.py."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from events_platform import access
from fairs.access import organiser_fairs
from fairs.images import MAX_BACKGROUND_BYTES
from fairs.models import Hall, Stand
from fairs.services import plans
from infra.errors import DomainError

ACTIONS = ("save", "rotate", "delete")
BACKGROUND_ACTIONS = ("background", "background-remove")


class StandForm(forms.Form):
    """The exact values of one stand (the shape only; the service checks the place)."""

    stand = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=gettext_lazy("Label"), max_length=20)
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=Stand.Kind.choices, initial=Stand.Kind.ROW
    )
    x_m = forms.DecimalField(
        label=gettext_lazy("From the left (m)"), min_value=0, max_digits=6, decimal_places=2
    )
    y_m = forms.DecimalField(
        label=gettext_lazy("From the top (m)"), min_value=0, max_digits=6, decimal_places=2
    )
    width_m = forms.DecimalField(
        label=gettext_lazy("Width (m)"), min_value=Decimal("0.5"), max_digits=6, decimal_places=2
    )
    depth_m = forms.DecimalField(
        label=gettext_lazy("Depth (m)"), min_value=Decimal("0.5"), max_digits=6, decimal_places=2
    )
    price = forms.DecimalField(
        label=gettext_lazy("Price (EUR)"), min_value=0, max_digits=8, decimal_places=2
    )
    has_power = forms.BooleanField(label=gettext_lazy("Power connection"), required=False)
    has_water = forms.BooleanField(label=gettext_lazy("Water connection"), required=False)
    blocked = forms.BooleanField(label=gettext_lazy("Blocked (cannot be booked)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("x_m", "y_m", "width_m", "depth_m"):
            self.fields[name].widget.attrs["step"] = "0.5"
        self.fields["price"].widget.attrs["step"] = "0.01"


class BackgroundForm(forms.Form):
    """The hall's background image (checked and re-encoded by fairs/images.py)."""

    background = forms.FileField(
        label=gettext_lazy("Background image of the hall"),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["background"].help_text = _(
            "PNG, JPEG or PDF (its first page is shown), at most %(mb)s MB."
        ) % {"mb": MAX_BACKGROUND_BYTES // 2**20}

    def clean_background(self):
        upload = self.cleaned_data["background"]
        if upload.size > MAX_BACKGROUND_BYTES:
            # Refused before reading it into memory; the service checks the bytes again.
            return upload.read(MAX_BACKGROUND_BYTES + 1)
        return upload.read()


def _halls(request):
    return Hall.objects.filter(fair__in=organiser_fairs(request.user)).select_related("fair__event")


def _stand_json(stand: Stand) -> dict:
    return {
        "id": stand.pk,
        "label": stand.label,
        "kind": stand.kind,
        "x_m": str(stand.x_m),
        "y_m": str(stand.y_m),
        "width_m": str(stand.width_m),
        "depth_m": str(stand.depth_m),
        "price": str(stand.price),
        "has_power": stand.has_power,
        "has_water": stand.has_water,
        "blocked": stand.blocked,
        "booked": stand.bookings.exists(),
    }


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _initial(stand: Stand | None) -> dict:
    if stand is None:
        return {}
    return {"stand": stand.pk, **{name: getattr(stand, name) for name in plans.STAND_FIELDS}}


@login_required
@require_GET
def plan_list(request):
    """The halls of the organiser's fairs, each a link to its editor."""
    if not access.organisations_for(request.user).exists():
        raise Http404
    halls = _halls(request).order_by("fair__event__starts_at", "name")
    return render(request, "workspace/plan_list.html", {"halls": halls})


def _apply(request, hall: Hall, form: StandForm) -> tuple[Stand | None, str]:
    """Call the service the form asks for; returns the stand (None when deleted) and what
    was done, in words."""
    action = request.POST.get("action", "save")
    if action not in ACTIONS:
        action = "save"
    values = {name: form.cleaned_data[name] for name in plans.STAND_FIELDS}
    stand_id = form.cleaned_data.get("stand")
    stand = get_object_or_404(hall.stands, pk=stand_id) if stand_id else None
    if stand is None:
        if action != "save":
            raise Http404
        stand = plans.add_stand(hall=hall, by=request.user, **values)
        return stand, _("Stand %(label)s added.") % {"label": stand.label}
    if action == "delete":
        label = stand.label
        plans.delete_stand(stand=stand, by=request.user)
        return None, _("Stand %(label)s deleted.") % {"label": label}
    stand = plans.change_stand(stand=stand, by=request.user, **values)
    if action == "rotate":
        stand = plans.rotate_stand(stand=stand, by=request.user)
        return stand, _("Stand %(label)s turned by 90°.") % {"label": stand.label}
    return stand, _("Stand %(label)s saved.") % {"label": stand.label}


def _background(request, hall: Hall) -> tuple[BackgroundForm, int]:
    """Upload or remove the hall's background; 200 when done (a message says what), else
    the form with its error next to the field and the status to answer with."""
    if request.POST["action"] == "background-remove":
        plans.set_background(hall=hall, by=request.user, data=None)
        messages.success(request, _("The background image has been removed."))
        return BackgroundForm(), 200
    form = BackgroundForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, 400
    try:
        plans.set_background(hall=hall, by=request.user, data=form.cleaned_data["background"])
    except DomainError as error:
        form.add_error("background", str(error.message))
        return form, error.status
    messages.success(request, _("The background image has been saved."))
    return form, 200


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    """One hall's editor: the plan, the selected stand's form; a POST saves, turns or
    deletes a stand (or adds one when no stand is given)."""
    hall = get_object_or_404(_halls(request), pk=pk)
    status = 200
    background_form = BackgroundForm()
    if request.method == "POST" and request.POST.get("action") in BACKGROUND_ACTIONS:
        background_form, status = _background(request, hall)
        if status == 200:
            return redirect("workspace:plan-edit", hall.pk)
        form = StandForm()
        selected_id = None
    elif request.method == "POST":
        form = StandForm(request.POST)
        if form.is_valid():
            try:
                stand, done = _apply(request, hall, form)
            except DomainError as error:
                if _wants_json(request):
                    return JsonResponse(
                        {"code": error.code, "detail": str(error.message)}, status=error.status
                    )
                form.add_error(None, str(error.message))
                status = error.status
            else:
                if _wants_json(request):
                    return JsonResponse(
                        {"detail": done, "stand": _stand_json(stand) if stand else None}
                    )
                messages.success(request, done)
                url = reverse("workspace:plan-edit", args=[hall.pk])
                return redirect(f"{url}?stand={stand.pk}" if stand else url)
        else:
            if _wants_json(request):
                first = next(iter(form.errors.values()))[0]
                return JsonResponse({"code": "invalid", "detail": str(first)}, status=400)
            status = 400
        selected_id = form.data.get("stand") or None
    else:
        selected_id = request.GET.get("stand") or None
        selected = hall.stands.filter(pk=selected_id).first() if selected_id else None
        form = StandForm(initial=_initial(selected))
    stands = list(hall.stands.all())
    booked = set(hall.stands.filter(bookings__isnull=False).values_list("pk", flat=True).distinct())
    context = {
        "hall": hall,
        "fair_event": hall.fair.event,
        "form": form,
        "stands": [{"stand": stand, "booked": stand.pk in booked} for stand in stands],
        "selected_id": str(selected_id or ""),
        "view_box": f"-0.5 -0.5 {hall.width_m + 1} {hall.depth_m + 1}",
        "width_px": int(min(max(hall.width_m * 20, 320), 1000)),
        "grid": plans.GRID_M,
        "stands_json": [_stand_json(stand) for stand in stands],
        "background_form": background_form,
    }
    return render(request, "workspace/plan_edit.html", context, status=status)


@login_required
@require_GET
def plan_export(request, pk: int):
    """The hall's stands as CSV, in the columns the import reads."""
    hall = get_object_or_404(_halls(request), pk=pk)
    response = HttpResponse(
        "\ufeff" + plans.export_stands_csv(hall=hall), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="hall-{hall.pk}-stands.csv"'
    return response


urlpatterns = [
    path("plaene/", plan_list, name="plan-list"),
    path("plaene/<int:pk>/", plan_edit, name="plan-edit"),
    path("plaene/<int:pk>/export.csv", plan_export, name="plan-export"),
]

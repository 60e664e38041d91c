"""Renewing secret links: the visitor on the ticket page, the organiser on the registration."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from events_platform import access
from infra import ratelimit

from .. import queries, secret_links
from ..models import Registration


@csrf_exempt  # the token in the address authorises (infra/secret_links.py)
@require_POST
def renew_link(request, token):
    """The visitor asks for a new link: the old one stops working, the new one is mailed."""
    registration = queries.registration_by_token(token)
    if registration is None:
        raise Http404
    # Each renewal sends a mail: a few an hour per registration, no mail flood.
    if ratelimit.hit("ticketing-renew-link", str(registration.pk), limit=5, window=3600):
        url = reverse("ticketing:ticket", kwargs={"token": token})
        return redirect(url + "?notice=renew_limited")
    registration = secret_links.renew_manage_link(registration=registration, now=timezone.now())
    url = reverse("ticketing:ticket", kwargs={"token": registration.manage_token})
    return redirect(url + "?notice=link_renewed")


@csrf_exempt  # the token in the address authorises (infra/secret_links.py)
@require_POST
def renew_feed(request, token):
    """The visitor gives their personal calendar feed a new address."""
    registration = queries.registration_by_token(token)
    feed = queries.feed_for_email(registration.email) if registration else None
    if feed is None:
        raise Http404
    secret_links.renew_feed_link(feed=feed)
    url = reverse("ticketing:ticket", kwargs={"token": registration.manage_token})
    return redirect(url + "?notice=feed_renewed")


@login_required
@require_POST
def organiser_renew_link(request, pk):
    """The event's organiser gives a registration a new link (audited; mailed to the visitor)."""
    registration = get_registration_for_organiser(request, pk)
    secret_links.renew_manage_link(registration=registration, now=timezone.now(), by=request.user)
    url = reverse("ticketing:organiser-detail", kwargs={"pk": registration.pk})
    return redirect(url + "?notice=link_renewed")


def get_registration_for_organiser(request, pk) -> Registration:
    registration = Registration.objects.filter(pk=pk).select_related("event").first()
    if registration is None:
        raise Http404
    access.get_organiser_event_or_404(request.user, pk=registration.event_id)
    return registration

"""Helpers shared by the exhibitor views."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from events_platform import access as core_access
from infra.errors import DomainError

from ..access import membership_for


def company_required(view: Callable) -> Callable:
    """Only for users who act for a company; `request.member` is their membership."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = membership_for(request.user)
        if member is None:
            messages.info(request, _no_company_message())
            return redirect("fairs:company-signup")
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper


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


def _no_company_message():
    from django.utils.translation import gettext as _

    return _("Your account does not act for a company yet. Register your company here.")


def report(request, error: DomainError) -> None:
    """Show a refused use case as an error message."""
    messages.error(request, str(error.message))

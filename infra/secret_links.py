"""Headers for pages behind a secret link (see logmask.py for the list of such addresses).

The address is the key, so it must not travel on: `Referrer-Policy: no-referrer` keeps it
out of the Referer of every request the page makes (the map link, images, our own static
files, whose access logs would otherwise hold it); `X-Robots-Tag: noindex` and
`Cache-Control: no-store` keep it out of search engines and shared caches.

With `no-referrer`, browsers send `Origin: null` on the page's own form posts, which
Django's CSRF check refuses. The visitor's forms behind a secret link act by the token in
the address alone (no login, no cookie), so a foreign site cannot forge them without
knowing the token: those views are `csrf_exempt`. The company invitation acts for the
signed-in user as well, so it keeps the CSRF check and gets `strict-origin` instead (the
Referer and Origin are the bare origin, never the path).
"""

import re

from django.utils.cache import add_never_cache_headers

from infra.logmask import mask_secrets

# Secret-link pages that act for a signed-in user too (CSRF check stays).
SESSION_BACKED = ("/fairs/firma/einladung/",)


def referrer_policy_for(path: str) -> str | None:
    """The Referrer-Policy a secret-link page gets, or None for any other address."""
    if mask_secrets(path) == path:
        return None
    if re.sub(r"^/[a-z]{2}/", "/", path).startswith(SESSION_BACKED):
        return "strict-origin"
    return "no-referrer"


class SecretLinkMiddleware:
    """No Referer, no indexing and no caching for every page behind a secret link."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = referrer_policy_for(request.path)
        if policy:
            response["Referrer-Policy"] = policy
            response["X-Robots-Tag"] = "noindex, nofollow"
            add_never_cache_headers(response)  # private, no-cache, no-store
        return response

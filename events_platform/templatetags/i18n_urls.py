"""The address of the current page in another language, for the language switch."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """The current path and query string as they read in `language_code`.

    Computed while rendering, when the active language matches the page's prefix: the
    set_language view may run under another language (cookie, browser) and then cannot
    resolve a prefixed path such as /en/… by itself.
    """
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language_code)

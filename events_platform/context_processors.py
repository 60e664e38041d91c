"""Template context shared by every page."""

from .extensions import nav_links


def navigation(request) -> dict:
    """The main navigation links other apps contribute, with the current one marked."""

    def items():
        return [
            {"label": label, "url": url, "current": request.path == url}
            for label, url in nav_links.links(request)
        ]

    # Lazy: computed only by pages that render the navigation.
    return {"nav_items": items}

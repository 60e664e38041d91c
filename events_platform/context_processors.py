"""Template context shared by every page."""

from .extensions import nav_links, organiser_menu


def navigation(request) -> dict:
    """The main navigation links other apps contribute, with the current one marked."""

    def entries(registry):
        return [
            {"label": label, "url": url, "current": request.path == url}
            for label, url in registry.links(request)
        ]

    def menu():
        """The organiser's menu; on a page below one of its entries (a fair's bookings below
        "stand bookings") the entry with the longest matching address is marked as the
        section the page belongs to."""
        items = entries(organiser_menu)
        if not any(item["current"] for item in items):
            below = [item for item in items if request.path.startswith(item["url"])]
            if below:
                max(below, key=lambda item: len(item["url"]))["current"] = "section"
        return items

    # Lazy: computed only by pages that render the navigation.
    return {"nav_items": lambda: entries(nav_links), "organiser_menu_items": menu}

"""Loads the demo data of BRIEF.md: the core first, then each app's `demo.load_demo`."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from events_platform.demo import load_core_demo


def app_demo_loaders():
    """Each installed app's `demo.load_demo(*, events_by_slug, now)`, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if config.name == "events_platform":
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        loader = getattr(module, "load_demo", None)
        if loader is not None:
            yield config.name, loader


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it twice creates nothing new)."

    def handle(self, *args, **options):
        now = timezone.now()
        events = load_core_demo(now=now)
        loaded = ["events_platform"]
        for name, loader in app_demo_loaders():
            loader(events_by_slug=events, now=now)
            loaded.append(name)
        self.stdout.write(f"Demo data ready ({', '.join(loaded)}).")

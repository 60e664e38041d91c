"""Prints the address of the running site, the demo logins for each role, and each app's
demo notes (`demo.demo_notes(now=...)`: e.g. which ticket to scan at today's door)."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from events_platform.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "Print the site address and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="Default: SITE_URL")

    def handle(self, *args, url, **options):
        url = url or settings.SITE_URL.rstrip("/") + "/"
        logins, notes = list(DEMO_LOGINS), []
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            if config.name != "events_platform":
                logins += getattr(module, "DEMO_LOGINS", [])
            if hasattr(module, "demo_notes"):
                notes += module.demo_notes(now=timezone.now())
        width = max(len(login.role) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"  events_platform is running at {url}")
        self.stdout.write(f"  Back office (organisers): {url}admin/")
        self.stdout.write("")
        self.stdout.write(f"  {'Role'.ljust(width)}  User            Password")
        for login in logins:
            self.stdout.write(
                f"  {login.role.ljust(width)}  {login.username.ljust(14)}  {login.password}"
            )
        self.stdout.write("")
        for line in notes:
            self.stdout.write(f"  {line}")
        if notes:
            self.stdout.write("")

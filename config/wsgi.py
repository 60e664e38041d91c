import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The URLconf, and with it every view module, is imported here rather than at the first
# request. gunicorn loads this module once in its master (preload_app), so every worker
# starts with it, also one recycled after max_requests: its first request no longer spends
# some 0.85 s on imports (measured in README, "Figures"). Importing opens no connection.
URL_PATTERNS = get_resolver().url_patterns

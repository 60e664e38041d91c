"""Core API views and the one exception handler that maps DomainError to a JSON answer."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc, context):
    """Turn a DomainError into `{"code": …, "detail": …}` with its status; else DRF's default."""
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": str(exc.message)}, status=exc.status)
    return drf_exception_handler(exc, context)

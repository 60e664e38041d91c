"""The year in the figures' addresses: four digits, so a year no calendar can hold (the
fuzzer's 202543272195382) is a plain 404 instead of an error deep in a date query."""

from django.urls import register_converter
from django.urls.converters import IntConverter


class YearConverter(IntConverter):
    regex = "[0-9]{4}"


# Registered once, when the first of the two URL modules imports this one.
register_converter(YearConverter, "year")

"""An input serializer whose fields are copied cheaply for each request.

DRF gives every serializer instance a deep copy of its declared fields: each field is made
anew from the arguments it was declared with (validators, messages, children), which cost
a quarter of a millisecond for the twenty fields of a registration, on every attempt of a
rush (benchmarks/registration_cost.py). A shallow copy is enough when nothing changes a
field after it is declared: each copy gets its own binding (name, parent, source), and
shares only what is read while validating (validators, error messages, a list's child,
which stays bound to the declared field).
"""

from rest_framework import serializers


def _twin(field: serializers.Field) -> serializers.Field:
    """A shallow copy (copy.copy does the same through __reduce_ex__, at twice the cost)."""
    twin = object.__new__(type(field))
    twin.__dict__.update(field.__dict__)
    return twin


class InputSerializer(serializers.Serializer):
    """A plain serializer for input whose declared fields are never changed per instance."""

    def get_fields(self):
        return {name: _twin(field) for name, field in self._declared_fields.items()}

"""infra.serializers.InputSerializer: each instance gets its own shallow copies of the
declared fields; what one instance binds or finds never reaches another or the class."""

import threading

from rest_framework import serializers

from infra.serializers import InputSerializer
from ticketing.serializers import RegisterInputSerializer


class Wish(InputSerializer):
    name = serializers.CharField(max_length=5)
    days = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)


def test_each_instance_has_its_own_bound_fields_and_the_declared_ones_stay_unbound():
    first, second = Wish(data={}), Wish(data={})
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first and second.fields["name"].parent is second
    assert Wish._declared_fields["name"].parent is None
    assert Wish._declared_fields["name"].field_name is None


def test_validation_and_its_errors_are_those_of_a_deep_copy():
    for data in (
        {"name": "Mia", "days": [1, 2]},
        {"name": "Mia-Sophie", "days": [0, "x"]},
        {"days": "nope"},
    ):
        ours, drf = Wish(data=data), _DeepCopied(data=data)
        assert ours.is_valid() == drf.is_valid()
        assert ours.errors == drf.errors
        assert dict(ours.validated_data) == dict(drf.validated_data)


class _DeepCopied(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    days = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)


def test_instances_validating_at_the_same_time_keep_their_own_results():
    """Threads (a threaded server) validate side by side; each gets its own answer."""
    results, start = {}, threading.Barrier(8)

    def validate(n: int) -> None:
        start.wait()
        for _ in range(200):
            serializer = Wish(data={"name": f"N{n}", "days": [n + 1]})
            assert serializer.is_valid(), serializer.errors
            results.setdefault(n, set()).add((serializer.validated_data["name"],))
            assert serializer.validated_data["days"] == [n + 1]

    threads = [threading.Thread(target=validate, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: {(f"N{n}",)} for n in range(8)}


def test_the_registration_input_is_one():
    assert issubclass(RegisterInputSerializer, InputSerializer)

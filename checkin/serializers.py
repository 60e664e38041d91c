"""Shapes of the check-in API: input serializers check shape only; services decide."""

from rest_framework import serializers

from checkin.models import Direction

KIND_CHOICES = [(1, "ticket"), (2, "staff_pass")]


class PairSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=400)
    name = serializers.CharField(max_length=80, required=False, allow_blank=True)


class EntranceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    day = serializers.DateField(allow_null=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class CountersSerializer(serializers.Serializer):
    inside = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    registered = serializers.IntegerField()
    walk_ins = serializers.IntegerField()
    staff_inside = serializers.IntegerField()


class DeviceSerializer(serializers.Serializer):
    """What a paired scanner needs: its event, the public key, lists, entrances, figures."""

    device = serializers.CharField()
    event_id = serializers.IntegerField()
    event = serializers.CharField()
    entrance = EntranceSerializer(allow_null=True)
    entrances = EntranceSerializer(many=True)
    lists = ListSerializer(many=True)
    current_list = serializers.IntegerField()
    public_key = serializers.CharField(help_text="Ed25519 public key, raw 32 bytes, base64url.")
    walk_ins_allowed = serializers.BooleanField()
    counters = CountersSerializer()


class PairedSerializer(DeviceSerializer):
    device_token = serializers.CharField(help_text="Shown once; send as `Authorization: Device …`")


class RedeemSerializer(serializers.Serializer):
    """One scan: a signed code from the camera or hand scanner, or a serial from the search."""

    nonce = serializers.CharField(max_length=64)
    secret = serializers.CharField(max_length=400, required=False, allow_blank=True)
    serial = serializers.IntegerField(required=False, min_value=0)
    kind = serializers.ChoiceField(choices=KIND_CHOICES, required=False, default=1)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.ENTRY)
    list = serializers.IntegerField(required=False)
    scanned_at = serializers.DateTimeField(required=False)
    offline = serializers.BooleanField(default=False)

    def validate(self, attrs):
        if not attrs.get("secret") and attrs.get("serial") is None:
            attrs["secret"] = ""
        return attrs


class UploadSerializer(serializers.Serializer):
    scans = RedeemSerializer(many=True, max_length=500)


class AnswerSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            "ok",
            "already_checked_in",
            "not_checked_in",
            "wrong_event",
            "wrong_day",
            "cancelled",
            "not_valid_yet",
            "no_longer_valid",
            "invalid",
            "unknown",
        ]
    )
    ok = serializers.BooleanField()
    message = serializers.CharField()
    direction = serializers.CharField()
    name = serializers.CharField()
    ticket_type = serializers.CharField()
    headcount = serializers.IntegerField()
    serial = serializers.CharField()
    minor = serializers.BooleanField()
    photo_consent = serializers.BooleanField(allow_null=True)
    previous_at = serializers.CharField(allow_null=True)
    previous_entrance = serializers.CharField()
    previous_device = serializers.CharField()
    replayed = serializers.BooleanField()
    nonce = serializers.CharField(required=False)


class UploadResultSerializer(serializers.Serializer):
    results = AnswerSerializer(many=True)


class OfflineTicketSerializer(serializers.Serializer):
    serial = serializers.CharField()
    kind = serializers.IntegerField()
    name = serializers.CharField()
    headcount = serializers.IntegerField()
    status = serializers.CharField()
    ticket_type = serializers.CharField(required=False)
    inside = serializers.BooleanField(required=False)


class OfflineListSerializer(serializers.Serializer):
    list = serializers.IntegerField()
    event_id = serializers.IntegerField()
    public_key = serializers.CharField()
    tickets = OfflineTicketSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    serial = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField()
    ticket_type = serializers.CharField()
    headcount = serializers.IntegerField()
    status = serializers.CharField()
    inside = serializers.BooleanField()


class WalkInSerializer(serializers.Serializer):
    nonce = serializers.CharField(max_length=64)
    persons = serializers.IntegerField(default=1, min_value=1, max_value=200)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    interest = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    counted_at = serializers.DateTimeField(required=False)

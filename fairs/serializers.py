"""API shapes of the exhibitor side. Input serializers check shape only; services decide."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Company, Hall, JobOffer, Sector, Stand, StandBooking
from .queries import verifying_organisation_names


class CompanySerializer(serializers.ModelSerializer):
    logo_url = serializers.SerializerMethodField()
    verified_by = serializers.SerializerMethodField()
    email_confirmed = serializers.SerializerMethodField()

    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "slug",
            "sector",
            "description_de",
            "description_en",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "street",
            "postcode",
            "town",
            "logo_url",
            "email_confirmed",
            "verified_by",
        ]
        read_only_fields = ["id", "slug"]

    def get_logo_url(self, company) -> str:
        return reverse("fairs:company-logo", args=[company.slug]) if company.logo else ""

    def get_email_confirmed(self, company) -> bool:
        return company.email_confirmed_at is not None

    def get_verified_by(self, company) -> list[str]:
        """The organisations that have verified the company (each checks for itself)."""
        return verifying_organisation_names(company)


class OrganiserCompanySerializer(serializers.ModelSerializer):
    # Many small companies give no web address: the answer then holds "", which is not a URI.
    website = serializers.CharField(read_only=True, help_text="Web address, or empty.")
    email_confirmed = serializers.SerializerMethodField()
    verified = serializers.BooleanField(
        source="verified_here",
        read_only=True,
        help_text="Verified by (one of) your organisation(s).",
    )

    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "slug",
            "sector",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "street",
            "postcode",
            "town",
            "email_confirmed",
            "verified",
        ]
        read_only_fields = fields

    def get_email_confirmed(self, company) -> bool:
        return company.email_confirmed_at is not None


class VerifySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Your organisation to verify for; without it, each of yours the company "
        "deals with.",
    )


class CompanyUpdateSerializer(serializers.ModelSerializer):
    logo = serializers.FileField(required=False, write_only=True)

    class Meta:
        model = Company
        fields = [
            "name",
            "sector",
            "description_de",
            "description_en",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "street",
            "postcode",
            "town",
            "logo",
        ]


class StandSerializer(serializers.ModelSerializer):
    state = serializers.CharField()
    area_m2 = serializers.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        model = Stand
        fields = [
            "id",
            "label",
            "kind",
            "x_m",
            "y_m",
            "width_m",
            "depth_m",
            "area_m2",
            "price",
            "has_power",
            "has_water",
            "state",
        ]


class HallPlanSerializer(serializers.ModelSerializer):
    stands = StandSerializer(source="stand_list", many=True)

    class Meta:
        model = Hall
        fields = ["id", "name", "width_m", "depth_m", "stands"]


class BookingSerializer(serializers.ModelSerializer):
    stand_label = serializers.CharField(source="stand.label")
    event = serializers.SlugRelatedField(source="fair.event", slug_field="slug", read_only=True)
    company = serializers.CharField(source="company.name")
    total_price = serializers.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        model = StandBooking
        fields = [
            "id",
            "event",
            "company",
            "stand",
            "stand_label",
            "group",
            "status",
            "power_connections",
            "tables",
            "chairs",
            "parking_passes",
            "staff_pass_count",
            "day_contact_name",
            "day_contact_phone",
            "stand_price",
            "extras_price",
            "total_price",
            "decision_message",
            "requested_at",
            "decided_at",
        ]


class BookingRequestSerializer(serializers.Serializer):
    stands = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)
    power_connections = serializers.IntegerField(min_value=0, max_value=10, default=0)
    tables = serializers.IntegerField(min_value=0, max_value=20, default=0)
    chairs = serializers.IntegerField(min_value=0, max_value=40, default=0)
    parking_passes = serializers.IntegerField(min_value=0, max_value=10, default=0)
    staff_passes = serializers.IntegerField(min_value=0, max_value=50, default=0)
    day_contact_name = serializers.CharField(max_length=200)
    day_contact_phone = serializers.CharField(max_length=40)


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class JobOfferSerializer(serializers.ModelSerializer):
    company = serializers.CharField(source="company.name", read_only=True)
    sector = serializers.ChoiceField(
        source="company.sector", choices=Sector.choices, read_only=True
    )
    events = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)
    event_slugs = serializers.ListField(
        child=serializers.SlugField(), write_only=True, required=False
    )
    start = serializers.CharField(
        source="start_text",
        read_only=True,
        help_text="The start as the pages show it, in the request's language: 'immediately' "
        "('ab sofort'), 'from 1 August 2027' ('ab 1. August 2027') or the start_note.",
    )

    def validate(self, attrs):
        immediately = attrs.get(
            "starts_immediately", getattr(self.instance, "starts_immediately", False)
        )
        start_date = attrs.get("start_date", getattr(self.instance, "start_date", None))
        if immediately and start_date:
            raise serializers.ValidationError(
                {"start_date": _("Choose either “immediately” or a start date, not both.")}
            )
        return attrs

    class Meta:
        model = JobOffer
        fields = [
            "id",
            "company",
            "sector",
            "title",
            "kind",
            "field_of_work",
            "place_of_work",
            "starts_immediately",
            "start_date",
            "start_note",
            "start",
            "contact",
            "url",
            "description",
            "events",
            "event_slugs",
        ]
        read_only_fields = ["id"]

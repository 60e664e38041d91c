"""Verification becomes per organisation: a company verified before is verified for each
organisation whose events it has dealings with (stand bookings, waiting list, job offers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_verifications(apps, schema_editor):
    Company = apps.get_model("fairs", "Company")
    CompanyVerification = apps.get_model("fairs", "CompanyVerification")
    Organisation = apps.get_model("events_platform", "Organisation")
    for company in Company.objects.exclude(verified_at=None):
        organisations = Organisation.objects.filter(
            models.Q(events__fair__bookings__company=company)
            | models.Q(events__fair__waitlist__company=company)
            | models.Q(events__job_offers__company=company)
        ).distinct()
        for organisation in organisations:
            CompanyVerification.objects.get_or_create(
                organisation=organisation,
                company=company,
                defaults={"verified_at": company.verified_at, "verified_by": company.verified_by},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("events_platform", "0004_data_request"),
        ("fairs", "0002_company_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CompanyVerification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("verified_at", models.DateTimeField(verbose_name="verified at")),
                (
                    "company",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="verifications",
                        to="fairs.company",
                        verbose_name="company",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="company_verifications",
                        to="events_platform.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="verified by",
                    ),
                ),
            ],
            options={
                "verbose_name": "company verification",
                "verbose_name_plural": "company verifications",
                "ordering": ["-verified_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "company"),
                        name="companyverification_once_per_org",
                    )
                ],
            },
        ),
        migrations.RunPython(copy_verifications, migrations.RunPython.noop),
        migrations.RemoveField(model_name="company", name="verified_at"),
        migrations.RemoveField(model_name="company", name="verified_by"),
    ]

"""A job offer's start becomes structured (immediately, or from a date) and its field of
work one of the platform's sectors, so both read in the page's language. The free text is
mapped where it can be: "sofort"/"ab sofort" is immediately, "1. August" the next 1 August,
"01.08.2027" that date; any other start stays as the company's own words (start_note); a
field of work that names no sector is kept as a line of the description."""

import re
from datetime import date

from django.db import migrations, models

MONTHS = {
    "januar": 1, "jänner": 1, "january": 1, "februar": 2, "february": 2, "märz": 3,
    "maerz": 3, "march": 3, "april": 4, "mai": 5, "may": 5, "juni": 6, "june": 6, "juli": 7,
    "july": 7, "august": 8, "september": 9, "oktober": 10, "october": 10, "november": 11,
    "dezember": 12, "december": 12,
}  # fmt: skip
IMMEDIATELY = {"sofort", "ab sofort", "immediately", "asap", "nächstmöglich", "per sofort"}
DATE = re.compile(r"^(?:ab |zum |from )?(\d{1,2})\.?\s*(?:(\d{1,2})\.|([a-zäöü]+))\s*(\d{4})?\.?$")
SECTORS = {
    "agriculture_food": ("landwirt", "tierhalt", "tierwirt", "milchvieh", "rinder", "obstbau",
                         "ernte", "lebensmittel", "bäck", "gartenbau", "agrar", "agricult"),
    "care": ("pflege", "betreuung", "medizin", "gesundheit", "klinik", "care", "health"),
    "crafts": ("holz", "tischler", "elektro", "bau", "dach", "handwerk", "craft"),
    "industry": ("metall", "kunststoff", "technik", "produktion", "industr", "maschinen"),
    "logistics": ("logistik", "lager", "fracht", "spedition", "transport", "logistic"),
    "tourism": ("hotel", "küche", "gastro", "touris", "restaurant"),
    "services": ("verkauf", "büro", "service", "handel", "verwaltung", "dienstleist"),
    "public": ("öffentlich", "schule", "bildung", "public", "education"),
}  # fmt: skip


def parse_start(text: str, today: date):
    """(immediately, date, note) for the old free text."""
    words = " ".join(text.strip().lower().split())
    if not words:
        return False, None, ""
    if words.rstrip("!.") in IMMEDIATELY:
        return True, None, ""
    match = DATE.match(words)
    if match:
        day, month_number, month_name, year = match.groups()
        month = int(month_number) if month_number else MONTHS.get(month_name or "")
        try:
            if month and year:
                return False, date(int(year), month, int(day)), ""
            if month:
                found = date(today.year, month, int(day))
                if found < today:
                    found = date(today.year + 1, month, int(day))
                return False, found, ""
        except ValueError:
            pass
    return False, None, text.strip()[:80]


def sector_of(text: str) -> str:
    words = text.strip().lower()
    for sector, keys in SECTORS.items():
        if words == sector or any(key in words for key in keys):
            return sector
    return ""


def forwards(apps, schema_editor):
    JobOffer = apps.get_model("fairs", "JobOffer")
    today = date.today()
    for offer in JobOffer.objects.all():
        offer.starts_immediately, offer.start_date, offer.start_note = parse_start(
            offer.starts, today
        )
        field = offer.field_of_work.strip()
        offer.field_of_work = sector_of(field)
        if field and not offer.field_of_work and field.lower() not in offer.title.lower():
            offer.description = f"{offer.description}\n\n{field}".strip()
        offer.save(
            update_fields=[
                "starts_immediately", "start_date", "start_note", "field_of_work", "description",
            ]
        )  # fmt: skip


def backwards(apps, schema_editor):
    JobOffer = apps.get_model("fairs", "JobOffer")
    for offer in JobOffer.objects.all():
        if offer.starts_immediately:
            offer.starts = "sofort"
        elif offer.start_date:
            offer.starts = offer.start_date.strftime("%d.%m.%Y")
        else:
            offer.starts = offer.start_note
        offer.save(update_fields=["starts"])


class Migration(migrations.Migration):
    dependencies = [("fairs", "0003_company_verification_per_organisation")]

    operations = [
        migrations.AddField(
            model_name="joboffer",
            name="starts_immediately",
            field=models.BooleanField(default=False, verbose_name="starts immediately"),
        ),
        migrations.AddField(
            model_name="joboffer",
            name="start_date",
            field=models.DateField(blank=True, null=True, verbose_name="start date"),
        ),
        migrations.AddField(
            model_name="joboffer",
            name="start_note",
            field=models.CharField(
                blank=True,
                help_text="Only if neither applies, e.g. “after the harvest”.",
                max_length=80,
                verbose_name="other start",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="joboffer", name="starts"),
        migrations.AlterField(
            model_name="joboffer",
            name="field_of_work",
            field=models.CharField(
                blank=True,
                choices=[
                    ("agriculture_food", "Agriculture and food"),
                    ("care", "Care and health"),
                    ("crafts", "Crafts"),
                    ("industry", "Industry"),
                    ("logistics", "Logistics"),
                    ("tourism", "Tourism and hospitality"),
                    ("services", "Services"),
                    ("public", "Public sector and education"),
                    ("other", "Other"),
                ],
                help_text="Leave empty if it is your company's sector.",
                max_length=32,
                verbose_name="field",
            ),
        ),
    ]

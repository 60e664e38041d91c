"""Personal-data classification of this app's fields (see dataprotection/registry.py)."""

PERSONAL_DATA = {
    "RegistrationFact": {
        # An age group (ten years wide at most) and the name of a school, an institution:
        # what the figures count, with no name, date of birth or grade beside it.
        # The postcode area: the first two digits only (a region, not an address).
        "none": ["id", "registration", "age_group", "school", "postcode_area"],
    },
    "EditionReport": {
        # The names of funding bodies and the organiser's text about an edition.
        "none": ["id", "series", "year", "funders", "text", "updated_at"],
    },
}

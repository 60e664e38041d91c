"""Personal-data classification of this app's fields (see dataprotection/registry.py), and
what the privacy notice says about how long this app keeps them.

- An invitation's address is personal (it is erased on request and with the survey's
  retention); its token is secret; its draft holds what a person typed before sending,
  which may name them (free texts), so it is personal too and is emptied on sending.
- An anonymous survey's answers have no link to a person. Its free texts could still
  name someone ("our trainee Ms. X"): they are classed personal, so erasure of a survey's
  data empties them; choices and numbers are not personal. A named survey's response is
  linked to a company (a legal person), not to a person.
"""

from django.utils.translation import gettext as _

PERSONAL_DATA = {
    "Survey": {
        "none": [
            "id", "organisation", "title_de", "title_en", "intro_de", "intro_en", "minutes",
            "anonymous", "opens_at", "closes_at", "audience", "series", "remind_days_before",
            "state", "reminded_at", "created_at",
        ],
        # The list audience: the addresses an organiser typed in.
        "personal": ["emails"],
        "secret": ["public_token"],
    },
    "Section": {"none": ["id", "survey", "position", "title_de", "title_en"]},
    "Question": {
        "none": [
            "id", "section", "position", "kind", "text_de", "text_en", "help_de", "help_en",
            "required", "allow_other", "condition_choice",
        ],
    },
    "Choice": {"none": ["id", "question", "position", "label_de", "label_en"]},
    "Invitation": {
        "personal": ["email", "draft"],
        "secret": ["token"],
        "none": [
            "id", "survey", "company", "language", "public", "invited", "reminded", "answered",
            "section_reached",
        ],
    },
    "Response": {"none": ["id", "survey", "company", "submitted_on"]},
    "Answer": {
        "personal": ["text"],
        "none": ["id", "response", "question", "choice", "number"],
    },
}  # fmt: skip

SUBJECT_COPY = {
    "Invitation": {"context": ["survey", "company", "invited", "reminded", "answered"]},
}

# Addresses and unsent drafts are deleted this many days after a survey closes.
RETENTION_DAYS = 90


def retention_notice() -> list[str]:
    return [
        _(
            "Surveys: the addresses of those invited are deleted %(days)s days after the "
            "survey closes; the answers of an anonymous survey are kept without any link to "
            "who gave them."
        )
        % {"days": RETENTION_DAYS}
    ]

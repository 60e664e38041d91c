"""Needs surveys: what an organisation asks companies, and their answers.

Two halves that never meet in an anonymous survey:
- who was asked and whether they answered: `Invitation` (e-mail, company, token, flags);
- what was answered: `Response` and its `Answer` rows.

A `Response` of an anonymous survey holds no link to its invitation or company, no time
(not even a date) and a random UUID as its key, and so do its answers: neither the
order of keys nor a timestamp joins them to the invitation marked answered in the same
transaction. Until the person sends the last section, what they typed is kept as a draft
on their invitation (`Invitation.draft`, so the link resumes it); sending moves it into a
new Response and empties the draft.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from events_platform.models import EventSeries, Organisation, TranslatedFieldsMixin
from fairs.models import Company

# Below this many answers no count, chart or filter of an anonymous survey is shown.
MIN_GROUP = 5


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Survey(TranslatedFieldsMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # Opened by the organiser with a start in the future: the beat opens it then.
        SCHEDULED = "scheduled", _("Opens at its start")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Audience(models.TextChoices):
        DISTRICT = "district", _("Companies of the organisation's district")
        SERIES = "series", _("Exhibitors of a series")
        LIST = "list", _("A list of e-mail addresses")
        PUBLIC = "public", _("Anyone with the public link")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_de = models.TextField(_("introduction (German)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes it takes"), default=10)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Answers are kept without any link to the company that gave them."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.DISTRICT
    )
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    emails = models.TextField(
        _("e-mail addresses"), blank=True, help_text=_("One address per line.")
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("reminder (days before closing)"),
        null=True,
        blank=True,
        help_text=_("Empty: no automatic reminder; you can still send it by the button."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    public_token = models.CharField(max_length=64, unique=True, default=new_token)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.translated("title")

    @property
    def intro(self) -> str:
        return self.translated("intro")


class Section(TranslatedFieldsMixin, models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.translated("title")


class Question(TranslatedFieldsMixin, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale from 1 to 5")
        NUMBER = "number", _("Number")
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")
        YESNO = "yesno", _("Yes or no")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.YESNO)
    TEXT_KINDS = (Kind.SHORT, Kind.LONG)

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text_de = models.CharField(_("question (German)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_de = models.CharField(_("hint (German)"), max_length=300, blank=True)
    help_en = models.CharField(_("hint (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    allow_other = models.BooleanField(
        _("offer “other” with a text"),
        default=False,
        help_text=_("For single and multiple choice."),
    )
    condition_choice = models.ForeignKey(
        "Choice",
        verbose_name=_("show only if this answer was given"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependent_questions",
    )

    class Meta:
        ordering = ["section__position", "section_id", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.translated("text")

    @property
    def help(self) -> str:
        return self.translated("help")

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Choice(TranslatedFieldsMixin, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label_de = models.CharField(_("answer (German)"), max_length=200)
    label_en = models.CharField(_("answer (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.translated("label")


class Invitation(models.Model):
    """Who is asked (an address, or a visitor of the public link) and whether they answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"), blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    language = models.CharField(_("language"), max_length=5, default="de")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    public = models.BooleanField(_("came by the public link"), default=False)
    invited = models.BooleanField(_("invited"), default=False)
    reminded = models.BooleanField(_("reminded"), default=False)
    answered = models.BooleanField(_("answered"), default=False)
    # What was typed so far, by question id: emptied when the answers are sent.
    draft = models.JSONField(default=dict, blank=True)
    section_reached = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["email", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"],
                condition=~models.Q(email=""),
                name="surveys_one_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return self.email or str(_("public link"))


class Response(models.Model):
    """One set of sent answers. For an anonymous survey: no company, no date, random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    submitted_on = models.DateField(_("sent on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    """One answer to one question: a chosen option (one row per option), "other" with its
    text (no option), a number (scale, number) or a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return str(self.pk)

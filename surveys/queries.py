"""The reads of needs surveys: the organiser's list and a survey's results.

An anonymous survey's results never show a group of fewer than MIN_GROUP answers: below
that a count reads "fewer than 5" and has no bar; where one such count of a question with
exclusive answers could be worked out from the others, the next smallest is hidden too;
free texts are listed only from MIN_GROUP texts on, in alphabetical order; and nothing at
all is shown while fewer than MIN_GROUP companies have answered. Named surveys may be
filtered by sector and company size.
"""

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from events_platform import access
from fairs.models import CompanySize, Sector

from .charts import bar_chart
from .models import MIN_GROUP, Answer, Question, Response, Survey

EXCLUSIVE = (Question.Kind.SINGLE, Question.Kind.YESNO, Question.Kind.SCALE)


def surveys_for(user) -> QuerySet:
    """The surveys of the organisations the user organises for."""
    return access.scope_to_organiser(user, Survey.objects.select_related("organisation"))


@dataclass
class Row:
    label: str
    count: int
    shown: bool = True  # False: a small group of an anonymous survey, not shown


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[Row] = field(default_factory=list)
    chart: str = ""
    texts: list[tuple[str, str]] = field(default_factory=list)  # (company or "", text)
    texts_hidden: int = 0
    mean: str = ""
    median: str = ""
    suppressed: bool = False


@dataclass
class Results:
    survey: Survey
    total: int
    questions: list[QuestionResult]
    suppressed: bool
    filtered: bool


def responses(survey: Survey, *, sector: str = "", size: str = "") -> QuerySet:
    found = Response.objects.filter(survey=survey)
    if not survey.anonymous:
        if sector:
            found = found.filter(company__sector=sector)
        if size:
            found = found.filter(company__size=size)
    return found


def _suppress(rows: list[Row], *, exclusive: bool) -> None:
    small = [row for row in rows if 0 < row.count < MIN_GROUP]
    for row in small:
        row.shown = False
    if exclusive and len(small) == 1:
        others = sorted((r for r in rows if r.shown and r.count > 0), key=lambda r: r.count)
        if others:
            others[0].shown = False


def _number(value: float) -> str:
    from django.utils.formats import number_format

    return number_format(round(value, 1), decimal_pos=1 if value % 1 else 0)


def results(survey: Survey, *, sector: str = "", size: str = "") -> Results:
    anonymous = survey.anonymous
    found = responses(survey, sector=sector, size=size)
    total = found.count()
    suppressed = anonymous and total < MIN_GROUP
    questions = list(
        Question.objects.filter(section__survey=survey)
        .select_related("section")
        .prefetch_related("choices")
    )
    answers = Answer.objects.filter(response__in=found)
    answered = dict(
        answers.values("question")
        .annotate(n=Count("response", distinct=True))
        .values_list("question", "n")
    )
    by_choice = dict(
        answers.filter(choice__isnull=False)
        .values("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    items = []
    for question in questions:
        item = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        if suppressed:
            item.suppressed = True
            items.append(item)
            continue
        mine = answers.filter(question=question)
        if question.has_choices:
            item.rows = [Row(c.label, by_choice.get(c.pk, 0)) for c in question.choices.all()]
            if question.allow_other:
                others = list(
                    mine.filter(choice__isnull=True)
                    .exclude(text="")
                    .select_related("response__company")
                )
                item.rows.append(Row(_("Other"), len(others)))
                item.texts = _texts(others, anonymous)
        elif question.kind == Question.Kind.SCALE:
            counts = dict(mine.values("number").annotate(n=Count("id")).values_list("number", "n"))
            item.rows = [Row(str(value), counts.get(value, 0)) for value in range(1, 6)]
        elif question.kind == Question.Kind.NUMBER:
            values = list(mine.exclude(number=None).values_list("number", flat=True))
            if values and (not anonymous or len(values) >= MIN_GROUP):
                item.mean = _number(statistics.mean(values))
                item.median = _number(statistics.median(values))
            elif values:
                item.suppressed = True
        else:
            item.texts = _texts(
                list(mine.exclude(text="").select_related("response__company")), anonymous
            )
        if anonymous and item.answered < MIN_GROUP:
            item.suppressed = True
            item.rows, item.texts, item.mean, item.median = [], [], "", ""
        if item.texts and anonymous and len(item.texts) < MIN_GROUP:
            item.texts_hidden, item.texts = len(item.texts), []
        if item.rows:
            if anonymous:
                _suppress(item.rows, exclusive=question.kind in EXCLUSIVE)
            pairs = [(row.label, row.count) for row in item.rows if row.shown]
            if pairs:
                item.chart = bar_chart(
                    pairs, title=question.text, described_by=f"table-{question.pk}"
                )
        items.append(item)
    return Results(
        survey=survey,
        total=total,
        questions=items,
        suppressed=suppressed,
        filtered=bool(sector or size) and not anonymous,
    )


def _texts(answers: list[Answer], anonymous: bool) -> list[tuple[str, str]]:
    if anonymous:
        return sorted(("", answer.text) for answer in answers)
    return [
        (answer.response.company.name if answer.response.company else "", answer.text)
        for answer in answers
    ]


def filter_choices() -> tuple[list, list]:
    return list(Sector.choices), list(CompanySize.choices)


def export_rows(survey: Survey, *, sector: str = "", size: str = "") -> tuple[list, list]:
    """The export: a named survey's responses, one row each (company, sector, size, an
    answer per question); an anonymous survey's counts only, small groups hidden as in the
    results (single answers could identify a company)."""
    if survey.anonymous:
        data = results(survey)
        header = [_("Question"), _("Answer"), _("Count")]
        rows = []
        if data.suppressed:
            return header, rows
        for item in data.questions:
            for row in item.rows:
                rows.append(
                    [item.question.text, row.label, row.count if row.shown else _("fewer than 5")]
                )
            if item.mean:
                rows.append([item.question.text, _("Mean"), item.mean])
                rows.append([item.question.text, _("Median"), item.median])
            for _company, text in item.texts:
                rows.append([item.question.text, text, ""])
        return header, rows
    questions = list(Question.objects.filter(section__survey=survey).prefetch_related("choices"))
    header = [_("Company"), _("Sector"), _("Size"), _("Sent on")] + [q.text for q in questions]
    rows = []
    found = responses(survey, sector=sector, size=size).select_related("company")
    values: dict = {}
    for answer in Answer.objects.filter(response__in=found).select_related("choice"):
        cell = values.setdefault((answer.response_id, answer.question_id), [])
        if answer.choice_id:
            cell.append(answer.choice.label)
        elif answer.number is not None:
            cell.append(str(answer.number))
        elif answer.text:
            cell.append(answer.text)
    for response in found.order_by("company__name", "id"):
        company = response.company
        rows.append(
            [
                company.name if company else "",
                company.get_sector_display() if company else "",
                company.get_size_display() if company else "",
                response.submitted_on.isoformat() if response.submitted_on else "",
            ]
            + ["; ".join(values.get((response.pk, q.pk), [])) for q in questions]
        )
    return header, rows

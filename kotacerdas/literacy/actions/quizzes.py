"""Quiz submissions: stored as sent and scored once; a second one for the same quiz is refused."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kotacerdas.audit.actions import record
from kotacerdas.literacy.models import CheckIn, Quiz, Registration, Submission


def quizzes_for(registration: Registration) -> list[Quiz]:
    """The active quizzes of the class's pillars, pre before post."""
    pillars = registration.session.pillars
    return sorted(
        Quiz.objects.filter(active=True, pillar__in=pillars),
        key=lambda q: (pillars.index(q.pillar), q.kind != Quiz.Kind.PRE),
    )


def refusal(quiz: Quiz, registration: Registration) -> str | None:
    """Why this participant may not take this quiz now, or None."""
    if registration.status != Registration.Status.CONFIRMED:
        return _("Quizzes are for participants with a confirmed seat.")
    if quiz.pillar not in registration.session.pillars or not quiz.active:
        return _("This quiz is not part of your class.")
    if Submission.objects.filter(quiz=quiz, registration=registration).exists():
        return _("You already sent this quiz; the first answers count and cannot be changed.")
    attended = registration.checkins.filter(result=CheckIn.Result.OK).exists()
    if quiz.kind == Quiz.Kind.POST and not attended:
        return _("The post-test opens once you are checked in at the class.")
    return None


def submit(quiz: Quiz, registration: Registration, answers: dict[str, int]) -> Submission:
    """Score and store the answers; refused (nothing changed) when ``refusal`` says so."""
    reason = refusal(quiz, registration)
    if reason:
        raise ValidationError(reason, code="refused")
    questions = list(quiz.questions.all())
    if not questions or {str(q.pk) for q in questions} != set(answers):
        raise ValidationError(_("Answer every question of the quiz."), code="incomplete")
    correct = sum(answers[str(q.pk)] == q.answer for q in questions)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                quiz=quiz,
                registration=registration,
                answers=answers,
                correct=correct,
                total=len(questions),
            )
            record("literacy.quiz_submitted", obj=submission, quiz=quiz.pk)
    except IntegrityError:  # the same quiz sent twice at once
        raise ValidationError(
            _("You already sent this quiz; the first answers count and cannot be changed."),
            code="twice",
        ) from None
    return submission

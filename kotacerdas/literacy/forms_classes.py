"""Forms of the classes: the DKIS class form, door registration, a typed ticket code, a quiz."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kotacerdas.literacy.models import ClassSession, Pillar, Point, Question, Quiz
from kotacerdas.literacy.roles import LiteracyRole
from kotacerdas.regions.models import Region

LOCAL_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _trainers() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=LiteracyRole.CLASS_TRAINER)
        .distinct()
        .order_by("first_name", "username")
    )


def _person(user: Any) -> str:
    return user.get_full_name() or user.username


class ClassSessionForm(forms.ModelForm[ClassSession]):
    pillars = forms.MultipleChoiceField(
        label=_("GNLD pillars"), choices=Pillar.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ClassSession
        fields = [
            "topic",
            "pillars",
            "audience",
            "starts_at",
            "ends_at",
            "place",
            "kelurahan",
            "point",
            "capacity",
            "trainer",
            "volunteers",
            "status",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=LOCAL_INPUT[0]
            ),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT[0]),
            "volunteers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = LOCAL_INPUT
        kelurahan = self.fields["kelurahan"]
        assert isinstance(kelurahan, forms.ModelChoiceField)
        kelurahan.queryset = Region.objects.filter(level=Region.Level.KELURAHAN).order_by("name")
        kelurahan.label_from_instance = lambda region: region.name  # type: ignore[method-assign,assignment]
        point = self.fields["point"]
        assert isinstance(point, forms.ModelChoiceField)
        point.queryset = Point.objects.exclude(status=Point.Status.REMOVED).order_by("code")
        for name in ("trainer", "volunteers"):
            people = self.fields[name]
            assert isinstance(people, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
            people.queryset = _trainers()
            people.label_from_instance = _person  # type: ignore[method-assign,assignment]
        self.fields["capacity"].min_value = 1  # type: ignore[attr-defined]

    def clean_topic(self) -> str:
        return " ".join(self.cleaned_data["topic"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The class must end after it starts."))
        point = data.get("point")
        if point is not None and data.get("kelurahan") is None:
            data["kelurahan"] = point.kelurahan
        capacity = data.get("capacity")
        if capacity is not None and capacity < 1:
            self.add_error("capacity", _("A class has at least one seat."))
        return data


class OnlineRegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name (as it will be on the certificate)"), max_length=100, strip=True
    )


class DoorRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Participant's name"), max_length=100, strip=True)
    phone = forms.CharField(label=_("Mobile phone number"), max_length=20, strip=True)


class ScanForm(forms.Form):
    """A ticket code typed at the door; the nonce is made when the form is shown."""

    code = forms.CharField(label=_("Ticket code"), max_length=64, strip=True)
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)


class QuizForm(forms.Form):
    """One radio group per question; every question must be answered."""

    def __init__(self, quiz: Quiz, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions: list[Question] = list(quiz.questions.all())
        for number, question in enumerate(self.questions, 1):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                choices=[(str(i), text) for i, text in enumerate(question.option_list(), 1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer to this question.")},
            )

    def answers(self) -> dict[str, int]:
        return {str(q.pk): self.cleaned_data[f"q{q.pk}"] for q in self.questions}

"""The quizzes are data: DKIS edits questions here (Django admin)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from kotacerdas.literacy.models import Question, Quiz


class QuestionForm(forms.ModelForm[Question]):
    class Meta:
        model = Question
        fields = ["order", "text", "options", "answer"]
        widgets = {"options": forms.Textarea(attrs={"rows": 4})}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        options = [line for line in str(data.get("options") or "").splitlines() if line.strip()]
        answer = data.get("answer")
        if len(options) < 2:
            self.add_error("options", _("Give at least two options, one a line."))
        elif isinstance(answer, int) and not 1 <= answer <= len(options):
            self.add_error(
                "answer",
                _("The right option is a number from 1 to %(count)s.") % {"count": len(options)},
            )
        return data


class QuestionInline(admin.TabularInline[Question, Quiz]):
    model = Question
    form = QuestionForm
    extra = 1


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin[Quiz]):
    list_display = ["title", "pillar", "kind", "active"]
    list_filter = ["pillar", "kind", "active"]
    inlines = [QuestionInline]

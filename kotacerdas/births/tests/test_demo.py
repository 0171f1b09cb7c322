from __future__ import annotations

import io

from django.core.management import call_command

from kotacerdas.births.models import Declaration
from kotacerdas.people.models import Person


def test_the_demo_has_declarations_in_each_state_and_one_registered_akta(db):
    call_command("demo", "--scale", "small", stdout=io.StringIO())

    statuses = sorted(Declaration.objects.values_list("status", flat=True))
    assert statuses == ["changes", "draft", "registered", "submitted", "submitted", "validated"]
    assert Declaration.objects.filter(potential_duplicate=True).count() == 1
    assert Declaration.objects.get(status="validated").needs_late_approval
    registered = Declaration.objects.get(status="registered")
    assert registered.current_certificate.pdf
    child = Person.objects.get(pk=registered.child_id)
    assert child.family_id == registered.family_id and child.nik is None

    call_command("demo", "--scale", "small", stdout=io.StringIO())
    assert Declaration.objects.count() == 6

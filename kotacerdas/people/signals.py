"""What the register tells the services that hold things for a person.

``person_left`` is sent when a resident dies or moves out of the city's register,
inside the transaction that records it: a receiver closes what its service still
has open for that person (a posyandu alert, a pregnancy, a letter request), so
the other services see the change at once, and it rolls back with the event.
Receivers connect in their ``AppConfig.ready`` and must not fail for a person
they hold nothing for.
"""

from __future__ import annotations

from django.dispatch import Signal

# sender=Person; kwargs: person, kind ("death" or "move_out"), date, actor.
person_left = Signal()

"""Sent after a change to the calendar is committed, so that services which
act on days off (the hospital closes its clinics) follow without the floor
importing them. Receivers get ``dates``: the dates that changed."""

from __future__ import annotations

from django.dispatch import Signal

days_off_changed = Signal()

"""The hospital follows the city's calendar: a day off added (or moved) there
closes the clinics' open sessions on that date and tells the booked patients."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kotacerdas.hospital import actions


def close_on_days_off(sender: Any, *, dates: list[dt.date], **kwargs: Any) -> None:
    actions.close_on_days_off(dates=dates)

from __future__ import annotations

import datetime as dt

from kotacerdas.web.figures import Figure


def samples_taken(year: int) -> list[Figure]:
    return [Figure("32.74.01.1001", dt.date(year, 1, 1), 3)]


FIGURES = (samples_taken,)

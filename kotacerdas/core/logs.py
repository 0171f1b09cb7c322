"""Log filters: identity numbers out of the logs; a floor under chatty loggers.

Keep identity numbers out of the logs even when a client puts them in a URL.

Our own URLs never carry a NIK or a No. KK, but a client can still call an
old or a made-up address with one (``/api/v1/nik/3274…``), and Django logs
the path of every 4xx answer. This filter, on the loggers that write request
paths, turns any run of exactly 16 digits into ``[16 digits]``.
"""

from __future__ import annotations

import logging
import re

SIXTEEN_DIGITS = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


class RedactIdentityNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if SIXTEEN_DIGITS.search(message):
            record.msg = SIXTEEN_DIGITS.sub("[16 digits]", message)
            record.args = ()
        return True


class AtLeast(logging.Filter):
    """Drop records of the named loggers (and their children) below a level.

    For a library that sets its own logger's level (``db_worker`` sets
    ``django.tasks`` to INFO at the default verbosity): on the handler, this
    holds whatever the library does to its logger.
    """

    def __init__(self, levels: dict[str, str | int]) -> None:
        super().__init__()
        self.levels = {
            name: level if isinstance(level, int) else logging.getLevelNamesMapping()[level]
            for name, level in levels.items()
        }

    def filter(self, record: logging.LogRecord) -> bool:
        for name, level in self.levels.items():
            if record.name == name or record.name.startswith(name + "."):
                return record.levelno >= level
        return True

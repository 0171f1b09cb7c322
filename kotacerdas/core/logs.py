"""Keep identity numbers out of the logs even when a client puts them in a URL.

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

"""docs/operations.md's crontab is exactly the periodic commands the apps declare."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from kotacerdas.web import discovery

CRON_LINE = re.compile(
    r"^(?P<schedule>(?:\S+\s+){4}\S+)\s+kotacerdas\s+\S*kotacerdas-manage\s+(?P<command>\S+)",
    re.MULTILINE,
)


def test_the_operations_crontab_names_every_declared_command_and_nothing_else() -> None:
    text = (Path(settings.BASE_DIR) / "docs" / "operations.md").read_text()
    documented = {
        (match["command"], " ".join(match["schedule"].split()))
        for match in CRON_LINE.finditer(text)
    }
    declared = {(command.command, command.schedule) for command in discovery.periodic_commands()}

    assert declared
    assert documented == declared

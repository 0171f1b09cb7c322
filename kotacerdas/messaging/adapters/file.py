"""Development and default-test gateway: outbound SMS are appended to a file.

Inbound messages are injected with ``manage.py sms_inject``; the outbox is
shown to developers at /sms/berkas/ (DEBUG only).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.conf import settings

from kotacerdas.messaging.adapters.base import Adapter, SendResult
from kotacerdas.messaging.models import Message


class FileAdapter(Adapter):
    code = "file"
    name = "File (development)"

    @property
    def path(self) -> Path:
        return Path(settings.SMS_FILE_PATH)

    def send(self, message: Message) -> SendResult:
        gateway_id = uuid.uuid4().hex
        record = {
            "id": gateway_id,
            "message": message.pk,
            "to": message.phone,
            "text": message.text,
            "purpose": message.purpose,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return SendResult(accepted=True, gateway_id=gateway_id)

    def read(self) -> list[dict[str, object]]:
        """Everything sent so far, newest last."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

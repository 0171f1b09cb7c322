from __future__ import annotations

from django.tasks import task

from kotacerdas.births.certificates import pdf_of
from kotacerdas.births.models import Certificate


@task()
def render_certificate(certificate_id: int) -> dict[str, object]:
    """Render a newly issued certificate ahead of its first download (idempotent)."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return {"rendered": False}
    return {"rendered": True, "bytes": len(pdf_of(certificate))}

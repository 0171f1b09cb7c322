"""The twelve letter types of issue 13, each with its first template version.

The values are copied here (not imported from ``catalogue``) so that this
migration keeps doing what it did when ``catalogue`` changes.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

OPEN = (
    "<p>Yang bertanda tangan di bawah ini Lurah {{ kelurahan }}, Kecamatan {{ kecamatan }}, "
    "Kota Cirebon, menerangkan bahwa:</p>\n"
    '<table class="biodata">\n'
    "<tr><td>Nama</td><td>: {{ nama }}</td></tr>\n"
    "<tr><td>NIK</td><td>: {{ nik }}</td></tr>\n"
    "<tr><td>Tempat, tanggal lahir</td><td>: {{ tempat_lahir }}, {{ tanggal_lahir }}</td></tr>\n"
    "<tr><td>Jenis kelamin</td><td>: {{ jenis_kelamin }}</td></tr>\n"
    "<tr><td>Agama</td><td>: {{ agama }}</td></tr>\n"
    "<tr><td>Pekerjaan</td><td>: {{ pekerjaan }}</td></tr>\n"
    "<tr><td>Alamat</td><td>: {{ alamat }} RT {{ rt }} RW {{ rw }}</td></tr>\n"
    "</table>\n"
)
CLOSE = (
    "<p>Surat keterangan ini berlaku sampai dengan {{ berlaku_sampai }}. Demikian surat "
    "keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.</p>"
)


def seed(apps: Any, schema_editor: Any) -> None:
    from kotacerdas.kelurahan.migrations._seed import SEED

    LetterType = apps.get_model("kelurahan", "LetterType")
    TemplateVersion = apps.get_model("kelurahan", "TemplateVersion")
    for order, row in enumerate(SEED, 1):
        code, title, classification, requirements, persons, extra, online, validity, middle = row
        letter_type, created = LetterType.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "classification": classification,
                "requirements": requirements,
                "persons": persons,
                "extra_fields": extra,
                "citizen_may_request": online,
                "validity_days": validity,
                "order": order * 10,
            },
        )
        if created:
            TemplateVersion.objects.create(
                letter_type=letter_type, number=1, body=OPEN + f"<p>{middle}</p>\n" + CLOSE
            )


class Migration(migrations.Migration):
    dependencies = [("kelurahan", "0001_letters")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

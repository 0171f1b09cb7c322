"""The reply to a message nobody understood lists what one can send, in one SMS."""

from __future__ import annotations

from django.utils import translation

from kotacerdas.messaging import router


def test_with_every_service_installed_the_help_still_fits_one_sms() -> None:
    for language in ("id", "en"):
        with translation.override(language):
            reply = router.help_text()
        assert len(reply) <= router.ONE_SMS, reply
        assert "WADUL" in reply and "DAFTAR" in reply and "WIFI" in reply


def test_a_long_help_keeps_each_keyword_and_what_it_takes() -> None:
    assert router._usage("CEK <kode>: cek tahap laporan") == "CEK <kode>"
    assert router._usage("WIFI <kode> MATI bila WiFi kota mati") == "WIFI <kode> MATI"
    assert router._usage("WADUL <story> to report harm to a child") == "WADUL <story>"
    assert router._usage("DAFTAR: berobat") == "DAFTAR"

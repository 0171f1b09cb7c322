from __future__ import annotations

from kotacerdas.messaging.actions import process, receive
from kotacerdas.messaging.adapters.file import FileAdapter
from kotacerdas.messaging.models import Message
from kotacerdas.reports import actions
from kotacerdas.reports.models import Report


def _sms(text: str, phone: str = "081234567890", **kwargs):
    return receive(adapter="file", phone=phone, text=text, **kwargs)


def test_free_text_wadul_files_a_report_and_replies_with_a_code(
    dp3a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = _sms("wadul ada anak dikurung di rumah kosong jl kartini")

    report = Report.objects.get()
    [reply] = FileAdapter().read()
    assert report.channel == "sms" and report.sms == message
    assert report.story == "ada anak dikurung di rumah kosong jl kartini"
    assert report.reporter_phone == "+6281234567890"
    assert report.tracking_code in reply["text"]
    assert "129" in reply["text"]


def test_structured_wadul_fills_category_and_place(dp3a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sms("WADUL#bully#SDN Kejaksan 1#Adik saya dipalak kakak kelas tiap hari #kasihan")

    report = Report.objects.get()
    assert report.category_hint == "bullying"
    assert report.place == "SDN Kejaksan 1"
    assert report.story == "Adik saya dipalak kakak kelas tiap hari #kasihan"


def test_unicode_and_a_1000_character_report_arrive_whole(dp3a, django_capture_on_commit_callbacks):
    story = ("Ibu hamil di RT 03 dipukul suaminya 😢 tolong segera " * 20)[:995]
    with django_capture_on_commit_callbacks(execute=True):
        _sms("WADUL " + story)

    assert Report.objects.get().story == story.strip()


def test_cek_answers_the_stage_only(dp3a, django_capture_on_commit_callbacks):
    report = actions.file_report({"story": "Anak dipukul guru di sekolah."}, channel="web")
    with django_capture_on_commit_callbacks(execute=True):
        _sms(f"CEK {report.tracking_code.lower()}")

    [reply] = FileAdapter().read()
    assert report.tracking_code in reply["text"]
    assert "dipukul" not in reply["text"]


def test_cek_with_a_wrong_code_says_how_to_ask(dp3a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sms("CEK 12345")

    assert "CEK WB-" in FileAdapter().read()[0]["text"]


def test_a_flood_from_one_number_is_answered_but_not_filed(
    dp3a, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "wadul_reports_per_phone": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            _sms(f"WADUL laporan nomor {i} tentang anak", gateway_id=f"g{i}")

    assert Report.objects.count() == 2
    assert "129" in FileAdapter().read()[-1]["text"]


def test_wadul_without_a_story_gets_a_hint(dp3a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sms("WADUL")

    assert not Report.objects.exists()
    assert "WADUL" in FileAdapter().read()[0]["text"]


def test_routing_a_wadul_report_takes_a_fixed_handful_of_queries(dp3a, django_assert_num_queries):
    # What a flood of reports costs per message, once the unit is cached:
    # claim, mark routed, the pupil look-up, the verification deadline (days
    # off), the report and its audit event, the reply.
    _sms("WADUL anak tetangga sering dipukul", phone="081234567801", gateway_id="w1")
    assert process()["batch"] == 1

    _sms("WADUL anak tetangga sering dipukul", phone="081234567802", gateway_id="w2")
    with django_assert_num_queries(QUERIES_WADUL):
        assert process()["batch"] == 1
    assert Report.objects.count() == 2
    assert Message.objects.filter(direction="out", reply_to__gateway_id="w2").count() == 1


QUERIES_WADUL = 14

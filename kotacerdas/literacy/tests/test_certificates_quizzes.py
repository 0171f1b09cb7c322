"""Certificates only for attendees, verified by an unguessable code (a forged one: not found);
quizzes once per participant; the kelurahan mini-index with small counts hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.literacy import index
from kotacerdas.literacy.actions import classes as actions
from kotacerdas.literacy.actions import quizzes
from kotacerdas.literacy.models import (
    ClassCertificate,
    ClassSession,
    Quiz,
    Registration,
    Submission,
)
from kotacerdas.literacy.stats import class_attendance, literacy_index
from kotacerdas.literacy.tests.conftest import citizen_client, make_class, make_quiz


@pytest.fixture
def booked(session: ClassSession) -> tuple[Client, Registration]:
    client, _ = citizen_client()
    client.post(f"/melet/kelas/{session.pk}/", {"name": "Siti Aminah"})
    return client, Registration.objects.get()


def _attend(registration: Registration, trainer: User, nonce: str = "n") -> None:
    actions.scan(
        registration.session,
        nonce=nonce,
        secret=registration.code,
        scanned_at=timezone.now(),
        actor=trainer,
    )


def test_an_attendee_downloads_the_certificate_and_its_code_verifies(
    booked: tuple[Client, Registration], trainer: User, settings
):
    settings.LITERACY_PUBLIC_BASE_URL = "https://kotacerdas.example"
    client, ticket = booked
    _attend(ticket, trainer)

    response = client.get(f"/melet/tiket/{ticket.code}/sertifikat.pdf")
    again = client.get(f"/melet/tiket/{ticket.code}/sertifikat.pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert again.status_code == 200
    certificate = ClassCertificate.objects.get()  # issued once
    assert certificate.shown["name"] == "Siti Aminah"
    page = Client().get(f"/melet/cek-sertifikat/{certificate.token}/")
    assert page.status_code == 200
    assert "SAH" in page.text and "Siti Aminah" in page.text
    typed = Client().get("/melet/cek-sertifikat/", {"kode": certificate.token.lower()})
    assert typed.status_code == 302


def test_a_participant_who_did_not_attend_gets_no_certificate_and_a_reason(
    booked: tuple[Client, Registration],
):
    client, ticket = booked

    response = client.get(f"/melet/tiket/{ticket.code}/sertifikat.pdf")

    assert response.status_code == 403
    assert "hanya untuk peserta yang hadir" in response.text
    assert not ClassCertificate.objects.exists()
    assert "Unduh sertifikat" not in client.get(f"/melet/tiket/{ticket.code}/").text


def test_a_forged_certificate_code_is_not_found_not_an_error(db):
    for forged in ("7KQ2M9TX7KQ2M9TX7KQ2M9TX7KQ2", "<script>", "x" * 300, "%00%27"):
        response = Client().get(f"/melet/cek-sertifikat/{forged}/")
        assert response.status_code == 404
        assert "TIDAK DITEMUKAN" in response.text
        assert "<script>" not in response.text
    typed = Client().get("/melet/cek-sertifikat/", {"kode": "a/b\x00"})
    assert typed.status_code == 404 and "TIDAK DITEMUKAN" in typed.text


def test_a_quiz_is_taken_once_and_the_second_is_refused_unchanged(
    booked: tuple[Client, Registration], trainer: User
):
    client, ticket = booked
    pre = make_quiz("aman", Quiz.Kind.PRE)
    url = f"/melet/tiket/{ticket.code}/kuis/{pre.pk}/"
    q1, q2 = pre.questions.all()
    assert client.get(f"/melet/tiket/{ticket.code}/").text.count(pre.title) == 1

    incomplete = client.post(url, {f"q{q1.pk}": "1"})
    assert incomplete.status_code == 200 and "Pilih jawaban" in incomplete.text
    assert not Submission.objects.exists()
    first = client.post(url, {f"q{q1.pk}": "1", f"q{q2.pk}": "1"})
    second = client.post(url, {f"q{q1.pk}": "1", f"q{q2.pk}": "2"})

    assert first.status_code == 302
    submission = Submission.objects.get()
    assert (submission.correct, submission.total) == (1, 2)
    assert second.status_code == 409 and "sudah mengirim kuis ini" in second.text
    assert Submission.objects.get().answers == {str(q1.pk): 1, str(q2.pk): 1}


def test_the_post_test_opens_after_check_in_and_only_for_the_classs_pillars(
    booked: tuple[Client, Registration], trainer: User
):
    _, ticket = booked
    post = make_quiz("aman", Quiz.Kind.POST)
    other = make_quiz("budaya", Quiz.Kind.PRE)
    assert "hadir" in (quizzes.refusal(post, ticket) or "")
    assert quizzes.refusal(other, ticket)
    _attend(ticket, trainer)
    assert quizzes.refusal(post, ticket) is None
    assert [q.pk for q in quizzes.quizzes_for(ticket)] == [post.pk]


def _class_with_scores(trainer: User, day: dt.datetime, post: Quiz, pre: Quiz, n: int, right: int):
    session = make_class(trainer, starts_at=day, ends_at=day + dt.timedelta(hours=1), capacity=50)
    for i in range(n):
        ticket = Registration.objects.create(
            session=session,
            code=f"T{session.pk}X{i}",
            name="P",
            phone=f"+62812{session.pk:04d}{i:04d}",
            channel="door",
            status="confirmed",
        )
        Submission.objects.create(quiz=pre, registration=ticket, answers={}, correct=0, total=2)
        Submission.objects.create(
            quiz=post, registration=ticket, answers={}, correct=right, total=2
        )
    return session


def test_the_mini_index_is_1_to_5_with_small_counts_hidden(trainer: User, settings):
    settings.LITERACY_INDEX_MIN_COUNT = 5
    pre, post = make_quiz("aman", Quiz.Kind.PRE), make_quiz("aman", Quiz.Kind.POST)
    march = timezone.make_aware(dt.datetime(2026, 3, 10, 9))
    july = timezone.make_aware(dt.datetime(2026, 7, 10, 9))
    _class_with_scores(trainer, march, post, pre, 6, 2)  # all right: 5.0, pre 1.0
    _class_with_scores(trainer, july, post, pre, 3, 1)  # too few

    cells = index.cells(2026)

    assert [(c.quarter, c.pillar, c.n, c.index, c.gain) for c in cells] == [
        ("2026-Q1", "aman", 6, 5.0, 4.0),
        ("2026-Q3", "aman", 3, None, None),
    ]
    assert literacy_index(2026) == cells
    page = Client().get("/melet/indeks/")
    assert page.status_code == 200
    assert "5,00" in page.text or "5.00" in page.text
    assert "terlalu sedikit" in page.text
    assert "Metode" in page.text and "bukan Indeks Literasi Digital" in page.text


def test_class_attendance_is_a_dashboard_figure(booked: tuple[Client, Registration], trainer):
    _, ticket = booked
    _attend(ticket, trainer)
    year = timezone.localtime(ticket.session.starts_at).year

    figures = class_attendance(year)

    assert [(f.kelurahan, f.value) for f in figures] == [("32.74.01.1001", 1)]

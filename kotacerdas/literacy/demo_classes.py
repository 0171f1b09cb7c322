"""Demo classes: past classes with attendance and quizzes (so the mini-index shows), and
upcoming ones to register for. Synthetic names and numbers (0812-9xxx-xxxx)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.core import tokens
from kotacerdas.literacy.models import (
    CheckIn,
    ClassSession,
    Pillar,
    Point,
    Question,
    Quiz,
    Registration,
    Submission,
)
from kotacerdas.regions.models import Region

QUESTIONS = {
    Pillar.CAKAP: [
        (
            "Apa gunanya kata sandi yang panjang?",
            "Lebih sulit ditebak\nLebih mudah diingat\nLebih cepat diketik",
            1,
        ),
        (
            "Di mana sebaiknya memasang aplikasi?",
            "Dari tautan di pesan berantai\nDari toko aplikasi resmi\nDari situs mana saja",
            2,
        ),
        (
            "Apa itu peramban (browser)?",
            "Aplikasi untuk membuka situs web\nJenis virus\nKabel jaringan",
            1,
        ),
    ],
    Pillar.ETIKA: [
        (
            "Sebelum membagikan berita, sebaiknya …",
            "Langsung dibagikan\nDiperiksa sumbernya\nDitambah komentar",
            2,
        ),
        (
            "Mengunggah foto orang lain tanpa izin …",
            "Boleh saja\nPerlu izin orangnya\nBoleh jika lucu",
            2,
        ),
        (
            "Komentar yang baik di media sosial …",
            "Menghina\nSopan dan membangun\nMenyebarkan data pribadi",
            2,
        ),
    ],
    Pillar.AMAN: [
        (
            "Ada yang meminta kode OTP lewat telepon. Anda …",
            "Memberikannya\nTidak memberikannya\nMemberikan separuh",
            2,
        ),
        (
            "Tautan hadiah dari nomor tak dikenal …",
            "Dibuka saja\nDiabaikan dan dilaporkan\nDiteruskan ke teman",
            2,
        ),
        (
            "Verifikasi dua langkah membuat akun …",
            "Lebih aman\nLebih lambat saja\nTidak berpengaruh",
            1,
        ),
    ],
    Pillar.BUDAYA: [
        (
            "Memakai karya orang lain di internet sebaiknya …",
            "Menyebut sumbernya\nMengaku karya sendiri\nMengubah namanya",
            1,
        ),
        (
            "Bahasa daerah di internet …",
            "Perlu dilestarikan\nTidak boleh dipakai\nHanya untuk lelucon",
            1,
        ),
        (
            "Produk UMKM Cirebon dapat dipromosikan …",
            "Lewat lokapasar dan media sosial\nTidak bisa daring\nHanya lewat radio",
            1,
        ),
    ],
}
TOPICS = [
    (
        "Aman bertransaksi digital untuk UMKM",
        [Pillar.AMAN, Pillar.CAKAP],
        ClassSession.Audience.UMKM,
    ),
    ("Cek fakta sebelum berbagi", [Pillar.ETIKA], ClassSession.Audience.COMMUNITY),
    (
        "Jejak digital dan budaya daring",
        [Pillar.BUDAYA, Pillar.ETIKA],
        ClassSession.Audience.PUPILS,
    ),
    ("Layanan daring untuk ASN", [Pillar.CAKAP], ClassSession.Audience.CIVIL_SERVANTS),
]
NAMES = [
    "Siti",
    "Ahmad",
    "Dewi",
    "Rudi",
    "Nur",
    "Agus",
    "Rina",
    "Budi",
    "Lia",
    "Eko",
    "Tuti",
    "Joko",
]


def build_quizzes() -> None:
    for pillar, questions in QUESTIONS.items():
        for kind in (Quiz.Kind.PRE, Quiz.Kind.POST):
            label = dict(Pillar.choices)[pillar]
            quiz, created = Quiz.objects.get_or_create(
                pillar=pillar,
                kind=kind,
                active=True,
                defaults={"title": f"Kuis {'awal' if kind == Quiz.Kind.PRE else 'akhir'}: {label}"},
            )
            if created:
                for order, (text, options, answer) in enumerate(questions, 1):
                    Question.objects.create(
                        quiz=quiz, order=order, text=text, options=options, answer=answer
                    )


def _session(
    rng: random.Random, kelurahan: Region, start: dt.datetime, topic: int, trainer: User
) -> ClassSession:
    title, pillars, audience = TOPICS[topic % len(TOPICS)]
    point = Point.objects.filter(kelurahan=kelurahan).first()
    session = ClassSession.objects.create(
        topic=title,
        pillars=[str(p) for p in pillars],
        place=f"Aula Kantor Kelurahan {kelurahan.name}",
        kelurahan=kelurahan,
        point=point,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        trainer=trainer,
        capacity=rng.choice([15, 20, 25]),
        audience=audience,
    )
    session.volunteers.add(trainer)
    return session


def _attend(rng: random.Random, session: ClassSession, number: int, trainer: User) -> None:
    """Past class: tickets, most checked in, pre- and post-tests (post scores a little higher)."""
    quizzes = list(
        Quiz.objects.filter(active=True, pillar__in=session.pillars).prefetch_related("questions")
    )
    for i in range(min(number, session.capacity)):
        registration = Registration.objects.create(
            session=session,
            code=tokens.new_token(),
            name=f"{rng.choice(NAMES)} {chr(65 + i % 26)}.",
            phone=f"+62812{9000_0000 + session.pk * 100 + i}",
            channel=Registration.Channel.ONLINE,
            status=Registration.Status.CONFIRMED,
        )
        if rng.random() < 0.85:
            CheckIn.objects.create(
                nonce=tokens.new_token(32),
                session=session,
                registration=registration,
                secret=registration.code,
                result=CheckIn.Result.OK,
                reason="Hadir.",
                scanned_at=session.starts_at + dt.timedelta(minutes=rng.randint(-10, 20)),
                by=trainer,
            )
            for quiz in quizzes:
                questions = list(quiz.questions.all())
                skill = 0.55 if quiz.kind == Quiz.Kind.PRE else 0.8
                answers = {
                    str(q.pk): q.answer if rng.random() < skill else (q.answer % 3) + 1
                    for q in questions
                }
                Submission.objects.create(
                    quiz=quiz,
                    registration=registration,
                    answers=answers,
                    total=len(questions),
                    correct=sum(answers[str(q.pk)] == q.answer for q in questions),
                )


def build_classes(rng: random.Random, trainer: User) -> int:
    """Once: past classes with attendance in a few kelurahan, and upcoming open ones."""
    if ClassSession.objects.exists():
        return 0
    build_quizzes()
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN).order_by("code")[:4])
    if not kelurahan:
        return 0
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    made = 0
    for i, region in enumerate(kelurahan):
        for weeks in (10, 4):
            past = _session(rng, region, today - dt.timedelta(weeks=weeks, days=i), i, trainer)
            _attend(rng, past, rng.randint(8, 14), trainer)
            made += 1
        _session(rng, region, today + dt.timedelta(days=2 + i * 3), i + 1, trainer)
        made += 1
    return made

"""QR verification of official documents (domain.md §8.5): seals, hashes, print audit and the public
page ``/verifikasi/<token>/`` (no login, no NIK, rate-limited, plain 404 for unknown tokens)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from situok.audit import AuditEvent
from situok.verification import (
    DocumentSeal,
    seal_by_token,
    seal_for,
    seal_record_pdf,
    seals_for,
    seals_set_status,
    verification_throttled,
    verification_url,
)
from staff.models import Employee

pytestmark = pytest.mark.django_db

NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def doc(personas):
    """Any model can carry seals; an employee stands in for a document here."""
    return personas["pegawai"].employee


def make_seal(obj, **kw):
    args = {
        "title": "Surat Perintah Tugas",
        "number": "000.1.2.3/9/Biro Umum/2026",
        "issued_on": dt.date(2026, 5, 28),
        "signer_name": "I Made Sudarsana",
        "persons": ["Ni Made Ayu Kartika", "Kadek Agus Permana"],
    }
    return seal_for(obj, "travel.spt", **(args | kw))


def page(client, token: str, ip: str = "10.9.0.1"):
    return client.get(reverse("verification", args=[token]), REMOTE_ADDR=ip)


def test_one_seal_per_document_and_kind_with_the_printed_facts_updated(doc, personas):
    first = make_seal(doc, by=personas["perjalanan"])
    again = make_seal(doc, number="000.1.2.3/10/Biro Umum/2026", persons=["Ni Made Ayu Kartika"])
    other_kind = seal_for(doc, "travel.sppd", title="SPPD")
    assert again.pk == first.pk and other_kind.pk != first.pk
    first.refresh_from_db()
    assert first.number == "000.1.2.3/10/Biro Umum/2026"
    assert first.persons == ["Ni Made Ayu Kartika"]
    assert first.created_by == personas["perjalanan"]
    assert set(seals_for(doc)) == {first, other_kind}


def test_tokens_are_long_random_and_unrelated_to_ids(doc, personas):
    seals = [make_seal(doc), seal_for(personas["honorer"].employee, "travel.spt", title="SPT")]
    for seal in seals:
        assert len(seal.token) >= 32
        assert re.fullmatch(r"[A-Za-z0-9_-]+", seal.token)
        assert str(seal.pk) != seal.token
    assert seals[0].token != seals[1].token


def test_names_never_carry_long_digit_runs(doc):
    seal = make_seal(
        doc, persons=["Ni Made Ayu Kartika 5171014107960001"], signer_name="X 197001011995031001"
    )
    assert seal.persons == ["Ni Made Ayu Kartika"]
    assert seal.signer_name == "X"


@override_settings(SITUOK_BASE_URL="https://situok.baliprov.go.id/")
def test_verification_url_is_absolute(doc):
    seal = make_seal(doc)
    assert verification_url(seal) == f"https://situok.baliprov.go.id/verifikasi/{seal.token}/"


def test_recording_a_print_stores_the_hash_counts_and_audits(doc, personas):
    seal = make_seal(doc)
    content = b"%PDF-1.4 contoh"
    seal = seal_record_pdf(seal, content, by=personas["perjalanan"])
    seal = seal_record_pdf(seal, content + b"2", by=personas["perjalanan"])
    assert seal.printed_count == 2
    assert seal.sha256 == hashlib.sha256(content + b"2").hexdigest()
    events = AuditEvent.objects.filter(action="travel.spt.printed").order_by("id")
    assert [e.data["printed_count"] for e in events] == [1, 2]
    assert events[0].actor == personas["perjalanan"]
    assert events[0].data["document"] == f"staff.employee:{doc.pk}"


@pytest.mark.django_db(transaction=True)
def test_print_count_is_atomic_under_concurrent_prints(doc, personas):
    seal = make_seal(doc)
    errors = []

    def worker():
        try:
            seal_record_pdf(DocumentSeal.objects.get(pk=seal.pk), b"x", by=None)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seal.refresh_from_db()
    assert seal.printed_count == 10


def test_status_changes_apply_to_every_seal_of_the_document(doc, personas):
    spt, sppd = make_seal(doc), seal_for(doc, "travel.sppd", title="SPPD")
    assert seals_set_status(doc, DocumentSeal.Status.CANCELLED, by=personas["perjalanan"]) == 2
    assert seals_set_status(doc, DocumentSeal.Status.CANCELLED) == 0  # already cancelled: nothing to do
    spt.refresh_from_db()
    sppd.refresh_from_db()
    assert spt.status == sppd.status == DocumentSeal.Status.CANCELLED
    assert AuditEvent.objects.filter(action="verification.seal.cancelled").count() == 1
    # A later print keeps the status unless the caller sets one.
    assert make_seal(doc).status == DocumentSeal.Status.CANCELLED


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (DocumentSeal.Status.VALID, "Sah"),
        (DocumentSeal.Status.CANCELLED, "Dibatalkan (batal)"),
        (DocumentSeal.Status.SUPERSEDED, "Digantikan"),
    ],
)
def test_the_public_page_shows_the_document_and_its_status(client, doc, personas, status, label):
    seal = seal_record_pdf(make_seal(doc, status=status), b"%PDF contoh", by=personas["perjalanan"])
    response = page(client, seal.token)
    assert response.status_code == 200
    html = response.content.decode()
    status_box = re.search(r'data-testid="verification-status">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert label in status_box
    for expected in (
        "Surat Perintah Tugas",
        "000.1.2.3/9/Biro Umum/2026",
        "28 Mei 2026",
        "I Made Sudarsana",
        "Ni Made Ayu Kartika",
        "Kadek Agus Permana",
        hashlib.sha256(b"%PDF contoh").hexdigest(),
        "sha256sum",
        "Terakhir dicetak",
    ):
        assert expected in html, expected
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_page_needs_no_login_and_leaks_no_nik(client, personas):
    travellers = [personas[name].employee for name in ("pegawai", "honorer")]
    assert all(len(e.nik) == 16 for e in travellers)
    seal = seal_for(
        travellers[0],
        "travel.sppd",
        title="Surat Perintah Perjalanan Dinas",
        persons=[f"{e.name} {e.nik}" for e in travellers],  # a careless caller
    )
    html = page(client, seal.token).content.decode()
    assert all(e.name in html for e in travellers)
    assert not NIK.search(html)
    assert not any(e.nik in html for e in Employee.objects.exclude(nik=""))
    assert "Berkas PDF dokumen ini belum pernah dicetak." in html


def test_unknown_or_overlong_tokens_get_the_plain_404(client, doc):
    make_seal(doc)
    for token in ("tidak-ada", "x" * 65):
        response = page(client, token)
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in response.content.decode()
    assert seal_by_token("") is None


@override_settings(SITUOK_VERIFICATION_RATE_LIMIT=5)
def test_the_page_is_rate_limited_per_client_ip(client, doc):
    seal = make_seal(doc)
    for _ in range(5):
        assert page(client, seal.token, ip="10.9.9.9").status_code == 200
    blocked = page(client, seal.token, ip="10.9.9.9")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    html = blocked.content.decode()
    assert "Terlalu banyak permintaan verifikasi" in html
    assert seal.number not in html
    # Unknown tokens count too (no free guessing), and other clients are not affected.
    assert page(client, "tebakan", ip="10.9.9.9").status_code == 429
    assert page(client, seal.token, ip="10.9.9.10").status_code == 200


def test_the_default_limit_is_thirty_a_minute(client, doc):
    seal = make_seal(doc)
    statuses = [page(client, seal.token, ip="10.9.8.8").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_throttle_windows_are_per_key():
    with override_settings(SITUOK_VERIFICATION_RATE_LIMIT=1):
        assert not verification_throttled("a")
        assert verification_throttled("a")
        assert not verification_throttled("b")

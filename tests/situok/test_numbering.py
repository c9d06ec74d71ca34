import datetime as dt
import random
import threading
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from situok.numbering import IssuedNumber, NumberingScheme, number_take, validate_pattern

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.fixture
def scheme(db):
    return NumberingScheme.objects.create(
        code="test-spt", name="SPT", classification_code="800.1.11.1", pattern="{kode}/{nomor}/{unit}/{tahun}"
    )


def test_number_follows_the_pattern(scheme):
    issued = number_take("test-spt", on=dt.date(2026, 11, 22))
    assert issued.number == "800.1.11.1/1/Biro Umum/2026"
    assert number_take("test-spt", on=dt.date(2026, 11, 22)).number == "800.1.11.1/2/Biro Umum/2026"


def test_roman_month_and_padding(scheme):
    scheme.pattern = "{kode}/{nomor}/{unit}/{bulan_romawi}/{tahun}"
    scheme.padding = 3
    scheme.save()
    assert number_take("test-spt", on=dt.date(2026, 11, 2)).number == "800.1.11.1/001/Biro Umum/XI/2026"


def test_per_unit_counters_are_independent(scheme):
    scheme.per_unit = True
    scheme.save()
    assert number_take("test-spt", unit_code="Prot", on=dt.date(2026, 1, 5)).sequence == 1
    assert number_take("test-spt", unit_code="RT", on=dt.date(2026, 1, 5)).sequence == 1
    assert number_take("test-spt", unit_code="Prot", on=dt.date(2026, 1, 5)).number.endswith("/2/Prot/2026")


def test_a_rolled_back_number_is_given_again(scheme):
    with pytest.raises(RuntimeError), transaction.atomic():
        number_take("test-spt", on=dt.date(2026, 3, 1))
        raise RuntimeError
    assert number_take("test-spt", on=dt.date(2026, 3, 1)).sequence == 1


def test_year_turns_at_midnight_wita_not_utc(scheme):
    # 31 Dec 2026 16:30 UTC is already 1 Jan 2027 00:30 in Denpasar.
    with time_machine.travel(dt.datetime(2026, 12, 31, 15, 59, tzinfo=dt.UTC), tick=False):
        assert number_take("test-spt").number.endswith("/1/Biro Umum/2026")
        assert number_take("test-spt").sequence == 2
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        issued = number_take("test-spt")
    assert (issued.year, issued.sequence) == (2027, 1)


@pytest.mark.parametrize("pattern", ["{kode}/{unit}", "{nomor}/{nama}", "{nomor"])
def test_bad_patterns_are_rejected_with_a_clear_message(pattern):
    with pytest.raises(ValidationError):
        validate_pattern(pattern)


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbers_have_no_gap_and_no_duplicate():
    """20 threads × 50 numbers; every tenth transaction rolls back after taking its number."""
    NumberingScheme.objects.create(code="race", name="Race", classification_code="000.1.2.3")
    threads_n, per_thread = 20, 50
    errors: list[BaseException] = []
    committed: list[int] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(per_thread):
                try:
                    with transaction.atomic():
                        issued = number_take("race", on=dt.date(2026, 6, 1))
                        if rng.random() < 0.1:
                            raise _Rollback
                    with lock:
                        committed.append(issued.sequence)
                except _Rollback:
                    pass
        except BaseException as exc:  # reported below; a thread must not die silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    stored = sorted(IssuedNumber.objects.filter(scheme__code="race").values_list("sequence", flat=True))
    assert len(committed) > 0.8 * threads_n * per_thread
    assert stored == sorted(committed) == list(range(1, len(committed) + 1))


class _Rollback(Exception):
    pass

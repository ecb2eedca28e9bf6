import math

import pytest

from compliance.domain.codes import ALPHABET, CODE_LENGTH, new_code, normalize_code
from compliance.domain.slips.slip import format_code


def test_codes_carry_at_least_64_random_bits_without_ambiguous_characters():
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 64
    assert not set("01OILUV") & set(ALPHABET)


def test_new_codes_use_the_alphabet_and_differ():
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ABCD-2345-EFGH-6789", "ABCD2345EFGH6789"),
        ("abcd2345efgh6789", "ABCD2345EFGH6789"),
        (" abcd 2345-efgh 6789 ", "ABCD2345EFGH6789"),
        ("ABCD-2345-EFGH-678", None),  # too short
        ("ABCD-2345-EFGH-67890", None),  # too long
        ("ABCD-2345-EFGH-678O", None),  # O is not in the alphabet
        ("", None),
        ("../../etc/passwd", None),
    ],
)
def test_normalize_code(typed, expected):
    assert normalize_code(typed) == expected


def test_format_code_groups_by_four():
    assert format_code("ABCD2345EFGH6789") == "ABCD-2345-EFGH-6789"

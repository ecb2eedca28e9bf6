"""Public ids: 128 random bits in 22 URL-safe characters, one at a time or many at once."""

import re

from compliance.models.types import new_id, new_ids

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")


def test_an_id_is_22_url_safe_characters():
    assert ID_PATTERN.fullmatch(new_id())


def test_ids_made_in_bulk_look_like_single_ones_and_never_repeat():
    ids = new_ids(20_000)
    assert len(ids) == 20_000 == len(set(ids))
    assert all(ID_PATTERN.fullmatch(value) for value in ids)


def test_ids_made_in_bulk_use_every_character_of_the_alphabet():
    # The '+/' of standard base64 must come out as '-_' (URL-safe), at every position.
    alphabet = set().union(*new_ids(5_000))
    assert alphabet == set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_no_ids_asked_for_none_given():
    assert new_ids(0) == []


def test_no_id_starts_like_a_command_line_option():
    """`flask tokens revoke ID` must not read an id as an option (a flaky CLI test found it)."""
    ids = [new_id() for _ in range(5000)] + new_ids(5000)
    assert not any(value.startswith("-") for value in ids)
    assert any("-" in value for value in ids)  # the character itself is still used

"""The one rule for the same person: same email, else a shared name when an email is missing."""

from dataclasses import dataclass

import pytest

from compliance.domain.people import People, email_key, name_key, names_can_join


@dataclass(eq=False)
class Someone:
    label: str
    email: str | None = None


def known(*people: tuple[Someone, list[str]]) -> People[Someone]:
    index: People[Someone] = People()
    for person, names in people:
        index.remember(person, names)
    return index


def test_names_fold_case_spacing_and_unicode_form():
    assert name_key("  DANA   Kowalski ") == name_key("dana kowalski")
    assert name_key("Jose\u0301") == name_key("José")
    assert name_key("Dana") != name_key("Dan a")
    assert email_key("  Dana@Example.NET ") == "dana@example.net"
    assert email_key("   ") is None and email_key(None) is None


@pytest.mark.parametrize(
    ("known_email", "email", "joins"),
    [(None, None, True), ("a@x.org", None, True), (None, "a@x.org", True), ("a@x", "b@x", False)],
)
def test_a_shared_name_joins_unless_each_side_has_its_own_email(known_email, email, joins):
    assert names_can_join(known_email, email) is joins


def test_the_same_email_wins_over_every_name():
    dana = Someone("dana", "dana@x.org")
    lee = Someone("lee")
    index = known((dana, ["Dana K"]), (lee, ["Lee"]))
    assert index.matches(["Lee"], "dana@x.org") == [dana]
    assert index.matches(["lee  "], None) == [lee]
    assert index.matches(["Lee"], "lee@x.org") == [lee]  # Lee had no email to differ
    assert index.matches(["Dana K"], "other@x.org") == []  # two emails are two people
    assert index.matches(["Nobody"], None) == []


def test_a_name_several_people_could_be_is_said_not_guessed():
    first, second = Someone("first", "a@x.org"), Someone("second", "b@x.org")
    index = known((first, ["Andrew"]), (second, ["Andrew"]))
    assert index.matches(["andrew"], None) == [first, second]
    assert index.matches(["Andrew"], "c@x.org") == []
    # One without an email beside one with another email: only the first can be this entry.
    lone = Someone("lone")
    index = known((second, ["Andrew"]), (lone, ["Andrew"]))
    assert index.matches(["Andrew"], "c@x.org") == [lone]


def test_each_person_is_counted_once_across_their_names():
    dana = Someone("dana")
    index = known((dana, ["Dana K", "Dana Kowalski"]))
    index.remember(dana, ["dana k"])
    assert index.matches(["Dana K", "Dana Kowalski"], None) == [dana]


def test_an_email_learnt_later_finds_the_person():
    dana = Someone("dana")
    index = known((dana, ["Dana"]))
    dana.email = "dana@x.org"
    index.remember(dana)
    assert index.with_email("dana@x.org") is dana
    assert index.matches(["Someone Else"], "dana@x.org") == [dana]


def test_a_claim_anyone_could_type_needs_both_name_and_email():
    dana = Someone("dana", "dana@x.org")
    index = known((dana, ["Dana Kowalski"]))
    assert index.named_and_addressed("DANA  kowalski", "dana@x.org") is dana
    assert index.named_and_addressed("Lee", "dana@x.org") is None
    assert index.named_and_addressed("Dana Kowalski", "lee@x.org") is None


def test_emails_and_names_fold_as_reports_write_them():
    dana = Someone("dana", email_key("Dana.K@Example.NET"))
    index = known((dana, ["Dana K"]))
    assert index.matches(["x"], email_key(" dana.k@example.net ")) == [dana]
    assert index.matches(["DANA\tK"], email_key("")) == [dana]
    assert name_key("Straße") == name_key("STRASSE")

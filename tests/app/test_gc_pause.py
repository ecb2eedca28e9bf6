"""The cycle collector is paused for a bulk use case and switched back on after it, whatever."""

from __future__ import annotations

import gc

import pytest

from compliance.services.gc_pause import cycle_collector_paused


@pytest.fixture
def collector_on():
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


def test_paused_inside_and_on_again_after(collector_on):
    with cycle_collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_an_error(collector_on):
    @cycle_collector_paused()
    def failing_import():
        assert not gc.isenabled()
        raise ValueError("a bad report")

    with pytest.raises(ValueError):
        failing_import()
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_it_to_the_outer_one(collector_on):
    with cycle_collector_paused():
        with cycle_collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_left_off_when_it_already_was(collector_on):
    gc.disable()
    with cycle_collector_paused():
        pass
    assert not gc.isenabled()

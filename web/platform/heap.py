"""The garbage collector set for a long-running process (a web worker, the projection worker,
a rebuild): what start-up made is put out of its sight, and young objects pile up longer
before a collection.

Without it, in the sign-up rush, a worker spent 0.9 s of its 10 s of CPU collecting (2,900
young collections, 24 full ones over the ~160,000 objects of the app's modules and routes);
with it 0.27 s (340 and 3). A rebuild of every view spent 8% of its time collecting, with it
2.5% (bench/README.md).
"""

from __future__ import annotations

import gc

# Collections of young objects after this many allocations instead of 700: a request's objects
# are mostly gone by then, so fewer survive into the older generations.
YOUNG_GENERATION = 20_000


def settle_heap() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION, 20, 20)

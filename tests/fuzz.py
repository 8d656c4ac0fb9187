"""How hard the property-based tests (hypothesis) try: FUZZ_EXAMPLES scales every test's
number of examples (CI runs the default, 1; a long local run might use 20)."""

import os

from hypothesis import HealthCheck, settings

SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1"))


def examples(count):
    """Hypothesis settings for about `count` examples, scaled by FUZZ_EXAMPLES."""
    return settings(
        max_examples=max(1, int(count * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )

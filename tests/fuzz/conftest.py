"""Hypothesis settings for the fuzz tests: bounded so that the suite stays fast; CI=true
runs ten times the examples, with a new random seed each run."""

import os

from hypothesis import HealthCheck, settings

CI = os.environ.get("CI") == "true"

settings.register_profile(
    "fuzz",
    max_examples=200 if CI else 10,
    deadline=None,
    # The same examples on every local run (a failure can be repeated); CI explores anew.
    derandomize=not CI,
    database=None,
    # Each example is a real request on a real database, with values of 10 000 characters.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

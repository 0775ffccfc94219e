"""Hypothesis settings for the lending engine's property tests.

Tests use `@settings(settings.get_profile("lending"))`, so the profile applies to this
package only. CI=true runs ten times the examples.
"""

import os

from hypothesis import settings

settings.register_profile(
    "lending",
    max_examples=2000 if os.environ.get("CI") == "true" else 200,
    deadline=None,
)

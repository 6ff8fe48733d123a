import os

import numpy as np
from hypothesis import HealthCheck, settings

# Gradient checks run many forward passes per example: no per-example deadline.
settings.register_profile(
    "default", deadline=None, max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=400)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

np.seterr(all="raise", under="ignore")   # a stray overflow or nan is a bug, not a warning

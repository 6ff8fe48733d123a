"""autograd.memory: after import, freed big arrays are reused without new page faults
(glibc only); GRADIENTE_MALLOC=system keeps glibc's defaults, under which they are not."""

import json
import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="the allocator setting is made for glibc only")

PROBE = """
import json, resource
import numpy as np
import autograd
faults = []
for _ in range(6):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    arrays = [np.ones(10**6, dtype=np.float32) for _ in range(8)]   # 8 x 4 MB, then freed
    del arrays
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(json.dumps(faults))
"""


def _faults(**env) -> list[int]:
    full = {k: v for k, v in os.environ.items() if k != "GRADIENTE_MALLOC"}
    out = subprocess.run([sys.executable, "-c", PROBE], env={**full, **env},
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_freed_arrays_are_reused_without_page_faults():
    kept = _faults()
    system = _faults(GRADIENTE_MALLOC="system")
    pages = 8 * 4 * 10**6 // 4096                 # what 8 fresh 4 MB arrays touch
    assert max(kept[1:]) < pages // 10            # after the first round: reused memory
    assert min(system[1:]) > pages // 2           # glibc's defaults: fresh pages each time


def test_release_gives_the_memory_back():
    from autograd import memory
    assert memory.release_freed_memory() is True

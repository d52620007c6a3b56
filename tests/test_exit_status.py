"""aligner.exit_status: after the CLI said "interrupted", the process ends with 130."""

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import atexit, sys
from aligner import exit_status
{watch}
atexit.register(lambda: print("other exit handler ran", flush=True))
exit_status.interrupted()
sys.exit(1)  # stands in for CPython's own choice of status
"""


def run(watch: bool) -> subprocess.CompletedProcess:
    code = SCRIPT.format(watch="exit_status.watch()" if watch else "")
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)


def test_watched_process_ends_with_130_after_the_other_exit_handlers():
    done = run(watch=True)
    assert done.returncode == 130
    assert done.stdout == "other exit handler ran\n"


def test_unwatched_process_keeps_its_own_status():
    # ``main`` called as a library (the tests, a user's script) must not end their process
    done = run(watch=False)
    assert done.returncode == 1
    assert done.stdout == "other exit handler ran\n"


def test_main_as_a_library_leaves_the_process_alone():
    code = ("import sys\nfrom aligner.cli import main\nfrom aligner import exit_status\n"
            "exit_status.interrupted()\nprint(main(['--version']))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

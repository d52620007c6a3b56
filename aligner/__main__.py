"""``python -m aligner`` and the ``aligner`` command.

The CLI module is imported inside ``run`` so that Ctrl-C during start-up
(importing click, numpy, ...) exits with 130 and one line, not a traceback.
"""

import sys


def run() -> int:
    try:
        from aligner.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("aligner: interrupted; no output was written\n")
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())

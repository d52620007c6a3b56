"""``python -m aligner``: the ``aligner`` command."""

from aligner import exit_status

exit_status.watch()  # first, so that a Ctrl-C during the imports below also ends with 130

from aligner.cli import main  # noqa: E402

raise SystemExit(main())

"""Test-only: runs an ``m50`` command that stops halfway, so a test can kill it there.

    python tests/faults/interrupt.py --signal FILE --at MODULE:FUNCTION --call N
        [--set MODULE:NAME=INT ...] -- COMMAND [ARGS...]

Wraps FUNCTION (which the command calls once per row, or once after its writes) so that after
its N-th call it creates FILE and sleeps: the work up to there is written, in the command's
still open transaction. The test waits for FILE and sends SIGKILL. ``--set`` replaces a module
constant first (a smaller batch size, so that several batches are written before the stop).
Production code has no hook for this; the monkeypatching happens here only.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
import time
from pathlib import Path


def _target(spec: str):
    module_name, _sep, name = spec.partition(":")
    return importlib.import_module(module_name), name


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signal", type=Path, required=True)
    parser.add_argument("--at", required=True)
    parser.add_argument("--call", type=int, required=True)
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    command = options.command[1:] if options.command[:1] == ["--"] else options.command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m50.conf.settings")
    import django

    django.setup()
    for assignment in options.set:
        spec, _sep, value = assignment.partition("=")
        module, name = _target(spec)
        setattr(module, name, int(value))
    module, name = _target(options.at)
    original = getattr(module, name)
    calls = 0

    @functools.wraps(original)
    def halting(*args, **kwargs):
        nonlocal calls
        result = original(*args, **kwargs)
        calls += 1
        if calls == options.call:
            options.signal.touch()
            time.sleep(600)  # killed long before; a test that forgets to kill fails on it
        return result

    setattr(module, name, halting)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["m50", *command])


if __name__ == "__main__":
    main(sys.argv[1:])

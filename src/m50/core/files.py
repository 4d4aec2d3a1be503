"""Files the platform writes for a user: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def file_write_atomically(*, path: Path, content: bytes) -> None:
    """``content`` to ``path`` via a temporary file in the same folder and a rename, so a reader
    (or a job picking up the folder) never sees half a file, and a failure leaves none."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

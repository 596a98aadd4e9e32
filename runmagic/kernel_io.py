"""Writing to the cell's output streams from the kernel's main thread."""

import sys


def stream_writer(stream_name: str):
    """A writer for ``sys.stdout``/``sys.stderr`` that bypasses IPython 9's
    capture of every string written (which would keep gigabytes alive): it
    calls the stream type's own ``write``."""

    def write(text: str) -> None:
        stream = getattr(sys, stream_name)
        type(stream).write(stream, text)

    return write


def flush_streams() -> None:
    """Send what is buffered now rather than at the kernel's next flush."""
    sys.stdout.flush()
    sys.stderr.flush()

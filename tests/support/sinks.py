"""A stream session's sink for tests: every piece kept, in order, never batched."""

from __future__ import annotations


class RecordingSink:
    def __init__(self):
        self.pieces: list[tuple[str, bytes]] = []

    @property
    def streams(self) -> dict[str, bytes]:
        """Each stream's bytes, joined."""
        return {name: b"".join(data for stream, data in self.pieces if stream == name)
                for name in ("stdout", "stderr")}

    def feed(self, stream: str, data: bytes) -> None:
        self.pieces.append((stream, data))

    def maybe_flush(self) -> None:
        pass

    def flush_due(self) -> None:
        return None

    def flush(self) -> None:
        pass

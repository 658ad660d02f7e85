"""The match's source of randomness: HMAC-SHA256 keyed by the match seed over stable ids
(docs/match-spec.md §2). Every ordering and tie-break of the match derives from `Keys`.
"""

from __future__ import annotations

import hashlib

SPEC_VERSION = "ssj-match-v1"


class Keys:
    """HMAC-SHA256(key = UTF-8(seed), msg = UTF-8("ssj-match-v1|<task id>|" + "|".join(parts))).

    Computed with hashlib's inner/outer states (RFC 2104) for speed; identical to `hmac`.
    """

    def __init__(self, seed: str, task_id: str):
        if not isinstance(seed, str) or seed == "":
            raise ValueError("seed must be a non-empty string")
        key = seed.encode("utf-8")
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        self._prefix = f"{SPEC_VERSION}|{task_id}|"

    def message(self, *parts: str) -> bytes:
        return (self._prefix + "|".join(parts)).encode("utf-8")

    def digest(self, *parts: str) -> bytes:
        inner = self._inner.copy()
        inner.update((self._prefix + "|".join(parts)).encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def number(self, *parts: str) -> int:
        """The digest read as a 256-bit big-endian unsigned integer."""
        return int.from_bytes(self.digest(*parts), "big")

"""Small views of Arrow columns as numpy, shared by the columnar intake and the columnar pool.

No copies: a mask or index array from Arrow's buffers, a string array's offsets and bytes, the
(n, 18) byte matrix of 18-character codes, the chunks of a column whether chunked or not.
"""

from __future__ import annotations

CODE_WIDTH = 18  # characters in a 统一社会信用代码


def chunks_of(column) -> list:
    """The arrays of a column: its chunks, or the array itself."""
    import pyarrow as pa

    return column.chunks if isinstance(column, pa.ChunkedArray) else [column]


def mask(values):
    """An Arrow boolean array (or chunked array) as a numpy bool array."""
    import numpy as np

    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=bool)


def mask_int(values):
    """An Arrow integer array (or chunked array) as a numpy int64 array."""
    import numpy as np

    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)


def chunk_bytes(chunk):
    """(offsets, data) of a string array as numpy views (data: one zero byte when it has none)."""
    import numpy as np

    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
    data = chunk.buffers()[2]
    return offsets, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(1, dtype=np.uint8))


def fixed_bytes(strings):
    """The (n, 18) uint8 view of a string array whose every value is 18 bytes (no copy)."""
    offsets, data = chunk_bytes(strings)
    return data[offsets[0]:offsets[-1]].reshape(-1, CODE_WIDTH)


def as_text(values):
    """A dictionary-coded array or column decoded to text; anything else unchanged."""
    import pyarrow as pa

    return values.cast(values.type.value_type) if pa.types.is_dictionary(values.type) else values

"""Draws the field device's icons once (python tools/draw_icons.py): two white shoulders
side by side on the campaign's green, a rounded square for the plain icons and a full square
with the figure inside the safe circle for the maskable one. Standard library only."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

GREEN = (11, 110, 79, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def inside_rounded(x: float, y: float, size: int, radius: float) -> bool:
    dx = max(radius - x, 0, x - (size - radius))
    dy = max(radius - y, 0, y - (size - radius))
    return dx * dx + dy * dy <= radius * radius


def figure(x: float, y: float, size: int, scale: float) -> bool:
    """Two heads and two shoulders, touching: the campaign's 'shoulder to shoulder'."""
    u, v = (x - size / 2) / (size * scale), (y - size / 2) / (size * scale)
    for centre in (-0.17, 0.17):
        if (u - centre) ** 2 + (v + 0.16) ** 2 <= 0.11**2:
            return True
        if v >= 0.02 and (u - centre) ** 2 / 0.2**2 + (v - 0.3) ** 2 / 0.28**2 <= 1 and v <= 0.3:
            return True
    return False


def pixels(size: int, maskable: bool) -> list[bytes]:
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            cx, cy = x + 0.5, y + 0.5
            if not maskable and not inside_rounded(cx, cy, size, size * 0.18):
                colour = CLEAR
            elif figure(cx, cy, size, 0.62 if maskable else 0.8):
                colour = WHITE
            else:
                colour = GREEN
            row.extend(colour)
        rows.append(bytes(row))
    return rows


def png(size: int, maskable: bool) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    data = zlib.compress(b"".join(pixels(size, maskable)), 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    here = Path(__file__).parent.parent / "web" / "static" / "icons"
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        (here / name).write_bytes(png(size, maskable))

"""Draw the app's icons (static/icons/*.png) with the standard library only: the phone's home screen and the
installed app's splash screen show them. Run once after changing the design; the PNGs are committed.

The mark is the topbar's: white "CF" on the brand blue, on the topbar's navy. A "maskable" icon fills its
whole square (the phone cuts it to a circle or a squircle), so its mark stays inside the middle 80%.
"""

import math
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "icons"

NAVY = (0x14, 0x21, 0x3D)  # .topbar background in app.css
BLUE = (0x2F, 0x6F, 0xED)  # --brand
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # 4×4 samples per pixel: smooth edges without an image library


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """An 8-bit RGBA PNG of `rows` (each width × 4 bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def in_rounded_square(x: float, y: float, x0: float, y0: float, size: float, radius: float) -> bool:
    """Whether (x, y) lies in the square at (x0, y0) of side `size` with corners of `radius`."""
    if not (x0 <= x <= x0 + size and y0 <= y <= y0 + size):
        return False
    cx = min(max(x, x0 + radius), x0 + size - radius)
    cy = min(max(y, y0 + radius), y0 + size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def in_letters(x: float, y: float) -> bool:
    """ "CF" in a unit box (0..1 × 0..1): a C open to the right and an F of three bars."""
    # C: a ring around (0.27, 0.5), open between -50° and 50°.
    dx, dy = x - 0.27, y - 0.5
    r = math.hypot(dx, dy)
    if 0.14 <= r <= 0.25 and abs(math.degrees(math.atan2(dy, dx))) >= 50:
        return True
    # F: the stem, the top bar and the middle bar.
    stem = 0.58 <= x <= 0.69 and 0.25 <= y <= 0.75
    top = 0.58 <= x <= 0.92 and 0.25 <= y <= 0.35
    middle = 0.58 <= x <= 0.86 and 0.46 <= y <= 0.555
    return stem or top or middle


def colour_at(x: float, y: float, *, maskable: bool) -> tuple[int, int, int, int]:
    """The icon's colour at (x, y) in a unit square (RGBA)."""
    if maskable:  # full bleed navy; the blue tile and the letters in the safe zone (middle 80%)
        tile = (0.2, 0.2, 0.6, 0.12)
        background = (*NAVY, 255)
    else:  # a navy rounded square on transparent, the blue tile inside it
        if not in_rounded_square(x, y, 0.0, 0.0, 1.0, 0.2):
            return (0, 0, 0, 0)
        tile = (0.12, 0.12, 0.76, 0.15)
        background = (*NAVY, 255)
    x0, y0, size, radius = tile
    if in_rounded_square(x, y, x0, y0, size, radius):
        if in_letters((x - x0) / size, (y - y0) / size):
            return (*WHITE, 255)
        return (*BLUE, 255)
    return background


def draw(size: int, *, maskable: bool) -> bytes:
    rows = []
    step = 1 / (size * SAMPLES)
    for py in range(size):
        row = bytearray()
        for px in range(size):
            total = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px * SAMPLES + sx + 0.5) * step
                    y = (py * SAMPLES + sy + 0.5) * step
                    r, g, b, a = colour_at(x, y, maskable=maskable)
                    total[0] += r * a
                    total[1] += g * a
                    total[2] += b * a
                    total[3] += a
            alpha = total[3]
            n = SAMPLES * SAMPLES
            if alpha:
                row += bytes((round(total[0] / alpha), round(total[1] / alpha), round(total[2] / alpha)))
            else:
                row += b"\x00\x00\x00"
            row.append(round(alpha / n))
        rows.append(bytes(row))
    return png(size, size, rows)


ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "maskable-192.png": (192, True),
    "maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),  # iOS rounds the corners itself and shows no transparency
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in ICONS.items():
        (OUT / name).write_bytes(draw(size, maskable=maskable))
        print(f"{name}: {size}×{size}")


if __name__ == "__main__":
    main()

"""Draws the site icon: newsdesk/static/img/favicon.svg and newsdesk/static/favicon.ico.

Run once by hand after changing the drawing (`.venv/bin/python scripts/make_favicon.py`);
both files are committed. An "N" in white on the accent red, drawn on a 32-unit grid, so
the SVG (for browsers that take one) and the ICO (for /favicon.ico: feed readers, old
browsers, tools that never read the page) show the same thing.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
BACKGROUND = "#b3121f"  # --accent in site.css
# The N: two upright bars and the diagonal joining them, as polygons on the 32-unit grid.
SHAPES = [
    [(8, 7), (12, 7), (12, 25), (8, 25)],
    [(20, 7), (24, 7), (24, 25), (20, 25)],
    [(8, 7), (12, 7), (24, 25), (20, 25)],
]
SCALE = 16  # drawn at 512 px and scaled down, for smooth edges at 16, 32 and 48 px


def svg() -> str:
    paths = "".join("M" + "L".join(f"{x} {y}" for x, y in shape) + "Z" for shape in SHAPES)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{BACKGROUND}"/>'
        f'<path fill="#fff" d="{paths}"/></svg>\n'
    )


def picture() -> Image.Image:
    size = 32 * SCALE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=6 * SCALE, fill=BACKGROUND)
    for shape in SHAPES:
        draw.polygon([(x * SCALE, y * SCALE) for x, y in shape], fill="#ffffff")
    return image


def main() -> None:
    (ROOT / "newsdesk" / "static" / "img" / "favicon.svg").write_text(svg())
    picture().save(ROOT / "newsdesk" / "static" / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()

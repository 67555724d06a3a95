"""Opens every page of a doorstroom site in headless Chromium (Debian's `chromium`), offline, and checks
that it works as a person would see it: no console message (a CSP violation, a blocked request or a
script error all log one), a Content-Security-Policy with default-src 'none', and a screenshot that is
not blank. A deliberately broken copy of the first page must fail the same check, so the check can fail.

Usage: python3 tests/browser/check_site.py SITE_DIR SCREENSHOT_DIR
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000"]


def chromium(page: Path, *extra: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(["chromium", *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
                                capture_output=True, text=True, timeout=120)
    return result.stderr


def problems(page: Path, shot: Path) -> list:
    found = []
    html = page.read_text(encoding="utf-8")
    if "Content-Security-Policy" not in html or "default-src 'none'" not in html:
        found.append("no Content-Security-Policy with default-src 'none'")
    log = chromium(page, "--dump-dom")
    found += [line for line in log.splitlines() if ":CONSOLE:" in line]
    chromium(page, f"--screenshot={shot}", "--window-size=1200,1600")
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 16)
    if colours is not None and len(colours) < 20:
        found.append(f"screenshot looks blank ({len(colours)} colours)")
    return found


def main(site: Path, shots: Path) -> int:
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted(site.glob("**/*.html"))
    assert pages, f"no pages in {site}"
    failed = False
    for page in pages:
        found = problems(page, shots / (page.stem + ".png"))
        print(f"{page}: {'ok' if not found else found}")
        failed |= bool(found)
    # Negative control: the same check must catch an inline script and an external request.
    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / "bad.html"
        shutil.copy(pages[0], bad)
        bad.write_text(bad.read_text(encoding="utf-8").replace(
            "</body>", '<script>console.log(1)</script><img src="https://example.org/x.png"></body>'), encoding="utf-8")
        caught = problems(bad, Path(tmp) / "bad.png")
        print(f"negative control caught {len(caught)} problem(s)")
        if len(caught) < 2:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))

"""Check-in fixtures: a clean cache per test, and Chromium with a fake camera."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, which


@pytest.fixture(autouse=True)
def _fresh_public_keys():
    """Public keys are cached by event id, and SQLite reuses ids after a rolled-back test.

    Only those keys of this run's cache prefix go: the cache may be the Redis that other
    test runs share as their broker, so it is never cleared whole.
    """
    from django.core.cache import cache

    keys = [f"ticket-public-key:{pk}" for pk in range(1, 1000)]
    # Invalid-code counts per device too: SQLite gives the next test's device the same id.
    keys += [f"rl:checkin-invalid:{pk}" for pk in range(1, 1000)]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def qr_video(secret: str, folder: Path) -> Path:
    """A short y4m video of the ticket's QR code on white, for Chromium's fake camera."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(qrcode.util.QRData(secret.upper(), mode=qrcode.util.MODE_ALPHA_NUM))
    png = folder / "ticket.png"
    code.make_image(fill_color="black", back_color="white").save(png)
    video = folder / "ticket.y4m"
    subprocess.run(
        [
            which("ffmpeg"),
            "-loglevel",
            "error",
            "-y",
            "-loop",
            "1",
            "-i",
            str(png),
            "-vf",
            "scale=400:400:flags=neighbor,pad=640:480:120:40:white,format=yuv420p",
            "-r",
            "10",
            "-t",
            "2",
            str(video),
        ],
        check=True,
    )
    return video


@pytest.fixture
def camera_page(browser, live_server, tmp_path):
    """`camera_page(secret)`: a phone-sized tab whose camera films the QR code of `secret`.

    A browser of its own (the fake camera is a launch flag), started from the session's
    Playwright: a second sync Playwright in the same process would not start.
    """
    opened = []

    def open_page(secret: str):
        video = qr_video(secret, tmp_path)
        camera_browser = browser.browser_type.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS
            + [
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        context = camera_browser.new_context(
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": 390, "height": 844},
            base_url=live_server.url,
            permissions=["camera"],
        )
        opened.append((camera_browser, context))
        return context.new_page()

    yield open_page
    for camera_browser, context in opened:
        context.close()
        camera_browser.close()

"""Chromium with a fake camera that films a QR code: the video is written here as a Y4M
file in plain Python (PIL), so the stand scanner's test needs no ffmpeg."""

from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS


def qr_y4m(secret: str, folder: Path, *, frames: int = 20) -> Path:
    """A 640x480 Y4M video (10 fps, grey 4:2:0) of the code's QR on white."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(qrcode.util.QRData(secret.upper(), mode=qrcode.util.MODE_ALPHA_NUM))
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    image = image.resize((400, 400), Image.NEAREST)
    frame = Image.new("L", (640, 480), 255)
    frame.paste(image, (120, 40))
    luma = frame.tobytes()
    chroma = bytes([128]) * (320 * 240)
    video = folder / "ticket.y4m"
    with video.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _n in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return video


@pytest.fixture
def camera_page(browser, live_server, tmp_path):
    """`camera_page(secret)`: a phone-sized tab whose camera films the QR code of `secret`."""
    opened = []

    def open_page(secret: str):
        video = qr_y4m(secret, tmp_path)
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
            viewport={"width": 360, "height": 780},
            base_url=live_server.url,
            permissions=["camera"],
        )
        opened.append((camera_browser, context))
        return context.new_page()

    yield open_page
    for camera_browser, context in opened:
        context.close()
        camera_browser.close()

"""Ruling lines broken into specks (a faint rule blurred and cut by a fax's threshold)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from foialog.extract.readers.ocr import find_rules, ocr_image
from foialog.extract.tables.words import group_lines
from foialog.sample.scans import scan_font

ROWS = ("Palisades Parkway 6713 11/22/2016", "East Troy Police 164424 03/28/2020")


def _faxed(image: Image.Image, *, blur: float, noise: float, threshold: int) -> Image.Image:
    """Blurred, noised and cut to 1 bit, as a fax of a page with thin rules comes back."""
    blurred = image.filter(ImageFilter.GaussianBlur(blur))
    pixels = np.asarray(blurred, dtype=np.float32)
    pixels += np.random.default_rng(7).normal(0, noise, pixels.shape)
    return Image.fromarray(np.where(pixels > threshold, 255, 0).astype(np.uint8), "L")


def _ruled_rows() -> tuple[Image.Image, list[int]]:
    """Two table rows at 300 dpi, a one-pixel rule under each; the rules' rows."""
    image = Image.new("L", (2550, 1000), 255)
    draw = ImageDraw.Draw(image)
    under = []
    for i, row in enumerate(ROWS):
        top = 300 + 100 * i
        draw.text((200, top), row, fill=0, font=scan_font(42))
        draw.line((180, top + 70, 1600, top + 70), fill=0, width=1)
        under.append(top + 70)
    return image, under


def test_a_rule_broken_into_specks_is_found_where_it_runs() -> None:
    image, under = _ruled_rows()
    faxed = _faxed(image, blur=1.3, noise=14, threshold=165)
    dark = np.asarray(faxed) < 128
    # The rule is specks here: no run of it is as long as a word.
    assert dark[under[0] - 2 : under[0] + 3, 180:1600].any(axis=0).mean() < 0.8
    rules = sorted(find_rules(faxed), key=lambda r: r.top)
    assert len(rules) == 2
    for rule, y in zip(rules, under, strict=True):
        assert rule.top - 3 <= y <= rule.bottom + 3
        assert rule.x0 <= 300
        assert rule.x1 >= 1500


def test_speckle_and_letters_are_no_rule() -> None:
    image = Image.new("L", (2550, 1000), 255)
    ImageDraw.Draw(image).text((200, 300), ROWS[0], fill=0, font=scan_font(42))
    # Noise as dense on every row: speckle, however thick, lines up nowhere.
    assert find_rules(_faxed(image, blur=0.5, noise=60, threshold=128)) == []


def test_a_grey_rule_under_noise_is_found_on_a_noisy_page_only() -> None:
    image, under = _ruled_rows()
    blurred = image.filter(ImageFilter.GaussianBlur(1.7))
    pixels = np.asarray(blurred, dtype=np.float32)
    pixels += np.random.default_rng(3).normal(0, 24, pixels.shape)
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    # Found whole, though under the noise no run of its dark pixels is a word long.
    rules = sorted(find_rules(noisy, noisy=True), key=lambda r: r.top)
    assert [r.top - 3 <= y <= r.bottom + 3 for r, y in zip(rules, under, strict=True)] == [
        True,
        True,
    ]
    # Where it runs: the noise beyond its ends is not taken for more of it.
    assert all(150 <= r.x0 <= 200 and 1580 <= r.x1 <= 1640 for r in rules)
    # A clean page's light grey row lines (a web page's) are left to the table finder.
    light = Image.new("L", (2550, 1000), 255)
    ImageDraw.Draw(light).line((180, 370, 1600, 370), fill=215, width=2)
    assert find_rules(light) == []
    assert len(find_rules(light, noisy=True)) == 1


def test_rows_between_dotted_rules_are_read_as_their_own_lines() -> None:
    image, _ = _ruled_rows()
    page = ocr_image(_faxed(image, blur=1.3, noise=14, threshold=165))
    texts = [" ".join(w.text for w in line) for line in group_lines(page.words)]
    assert texts == list(ROWS)
    assert len(page.rules) == 2


def test_a_turned_copier_margin_is_whitened_and_the_letters_beside_it_are_kept() -> None:
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    names = ("Surprise Police Department", "Nottoway County Office", "Brackenridge Police")
    for i, name in enumerate(names):
        draw.text((130, 150 + 400 * i), name, fill=0, font=scan_font(36))
    # A dark band along the left edge, then the page turned 2.3 degrees: a wedge whose inner
    # edge, averaged down the page, runs past the first letters of the lines where it is
    # narrow (whitening the whole band read "surprise").
    draw.rectangle((0, 0, 100, 2200), fill=20)
    turned = image.rotate(2.3, resample=Image.Resampling.BICUBIC, fillcolor=255)
    page = ocr_image(turned.point(lambda v: 255 if v > 140 else 0))
    texts = [" ".join(w.text for w in line) for line in group_lines(page.words)]
    assert texts == list(names)
    assert "margins" in page.cleanup

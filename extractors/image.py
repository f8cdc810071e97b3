"""Images (PNG, JPEG, TIFF; every frame of a multi-page TIFF) read by OCR, like the scanned pages of a PDF."""
from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from extractors import limits
from extractors.builder import DocumentBuilder
from extractors.errors import ReadError
from extractors.ocr import ocr_pages

# Pillow's own names for the formats this reader takes, and the name a Document gets.
FORMATS = {"PNG": "png", "JPEG": "jpeg", "MPO": "jpeg", "TIFF": "tiff"}
# A scan without a resolution in its header is taken to be at the resolution scans are made at.
ASSUMED_DPI = limits.OCR_DPI


def _open(data: bytes, path: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise ReadError(f"damaged or unsupported image ({exc})", path, "damaged") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ReadError("image is too large to read (decompression bomb guard)", path, "too-large") from None
    if image.format not in FORMATS:
        raise ReadError(f"unsupported image format {image.format}", path, "unknown-format")
    if image.width * image.height > limits.OCR_MAX_PIXELS:
        raise ReadError(f"image is {image.width}x{image.height} pixels, over the OCR cap of "
                        f"{limits.OCR_MAX_PIXELS // 1_000_000} million", path, "too-large")
    return image


def _dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError):
        value = 0
    return value if 70 <= value <= 1200 else ASSUMED_DPI


def read_image(data: bytes, path: str, sha256: str):
    image = _open(data, path)
    fmt = FORMATS[image.format]
    frames = getattr(image, "n_frames", 1)

    def render(number: int):
        image.seek(number - 1)
        try:
            frame = ImageOps.exif_transpose(image).convert("L")  # upright, grey
        except OSError as exc:
            raise ReadError(f"damaged image: frame {number} ({exc})", path, "damaged") from None
        return frame, _dpi(image)

    run = ocr_pages(list(range(1, frames + 1)), render, unit="frame")
    if not run.read:
        why = run.warnings[0].split(": ", 1)[-1] if run.warnings else "OCR found no text"
        raise ReadError(f"image with no readable text: {why}", path, "scanned")
    builder = DocumentBuilder(soft_breaks=True)
    run.add_to(builder)
    doc = builder.build(path=path, format=fmt, sha256=sha256, pages=frames)
    run.record(doc)
    return doc

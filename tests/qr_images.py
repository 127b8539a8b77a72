"""Reading QR codes back from what the gateway and billing produce: PNG, SVG and PDF pages.

Everything from PyPI wheels (zxing-cpp decodes, PDFium renders, fpdf2 places an SVG on a page),
so the tests need no system package. An SVG is checked as a browser would show it: drawn onto
a PDF page by fpdf2's SVG renderer, the page rendered by PDFium, the image decoded.
"""

from __future__ import annotations

import io
import warnings

import pypdfium2
import zxingcpp
from fpdf import FPDF
from PIL import Image


def decode(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(image)
    return [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]


def decode_png(content: bytes) -> list[str]:
    return decode(Image.open(io.BytesIO(content)))


def page_image(pdf: bytes, page: int = 0, *, scale: float = 2.0) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image: Image.Image = document[page].render(scale=scale).to_pil()
        return image
    finally:
        document.close()


def page_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def decode_svg(svg: str) -> list[str]:
    pdf = FPDF()
    pdf.add_page()
    with warnings.catch_warnings():  # segno writes width and height, no viewBox; fpdf2 says so
        warnings.filterwarnings("ignore", message='<svg> has no "viewBox"')
        pdf.image(io.BytesIO(svg.encode()), x=20, y=20, w=80)
    return decode(page_image(bytes(pdf.output())))

"""Hand-made PDFs for tests: any object bodies, with a correct cross-reference table."""

from __future__ import annotations

import io
from collections.abc import Sequence


def pdf_from_objects(objects: Sequence[bytes], root: int = 1) -> bytes:
    """Return a PDF whose objects 1..N are ``objects``; ``root`` is the catalog's number."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()

"""One way to accept and to serve uploaded files.

* Accept: :func:`clean_upload` checks the size, recognises the type **by its content** (magic
  bytes; the file name and the browser's content type are ignored), verifies images with Pillow and
  re-encodes them without EXIF (camera GPS positions and owner names stay out of our storage), and
  returns the content to store under a generated name (:func:`upload_to`).
* Serve: :func:`serve_protected` streams a stored file from a view that has already checked the
  user's right to it. Nothing under MEDIA_ROOT has a public URL.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

KINDS = {
    "pdf": {"magic": (b"%PDF-",), "content_type": "application/pdf", "ext": "pdf", "label": "PDF"},
    "jpeg": {"magic": (b"\xff\xd8\xff",), "content_type": "image/jpeg", "ext": "jpg", "label": "JPEG"},
    "png": {"magic": (b"\x89PNG\r\n\x1a\n",), "content_type": "image/png", "ext": "png", "label": "PNG"},
}
IMAGE_KINDS = {"jpeg", "png"}
MAX_IMAGE_PIXELS = 40_000_000  # ~ a 7,000 × 5,700 photo; larger is refused, not decoded


@dataclass(frozen=True)
class CleanUpload:
    kind: str
    content: ContentFile
    original_name: str

    @property
    def content_type(self) -> str:
        return KINDS[self.kind]["content_type"]


def detect_kind(head: bytes) -> str | None:
    for kind, spec in KINDS.items():
        if any(head.startswith(m) for m in spec["magic"]):
            return kind
    return None


def read_limited(upload, max_bytes: int) -> bytes:
    """The content of an upload (a file object or ``bytes``), refused with an Indonesian message when it
    is empty or larger than ``max_bytes``; never reads more than ``max_bytes + 1`` bytes."""
    if isinstance(upload, (bytes, bytearray)):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise ValidationError(
                _("Ukuran berkas %(size)s MB melebihi batas %(max)s MB."),
                code="too_large",
                params={
                    "size": f"{size / 1_048_576:.1f}".replace(".", ","),
                    "max": f"{max_bytes / 1_048_576:.0f}",
                },
            )
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
        if hasattr(upload, "seek"):
            upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(
            _("Ukuran berkas melebihi batas %(max)s MB."),
            code="too_large",
            params={"max": f"{max_bytes / 1_048_576:.0f}"},
        )
    if not data:
        raise ValidationError(_("Berkas kosong."), code="empty")
    return data


def _reencode_image(data: bytes, kind: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("Resolusi gambar terlalu besar."), code="too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img)  # keep the visible orientation, drop the tag
            out = io.BytesIO()
            if kind == "jpeg":
                img.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
            else:
                img.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Berkas gambar rusak atau tidak dapat dibaca."), code="corrupt") from exc


def clean_upload(
    upload, *, kinds: tuple[str, ...] = ("pdf", "jpeg", "png"), max_bytes: int | None = None
) -> CleanUpload:
    """Validate an uploaded file and return what to store. Raises ``ValidationError`` (Indonesian)."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    data = read_limited(upload, max_bytes)
    kind = detect_kind(data[:16])
    if kind is None or kind not in kinds:
        allowed = ", ".join(KINDS[k]["label"] for k in kinds)
        raise ValidationError(
            _("Jenis berkas tidak diizinkan. Unggah berkas %(allowed)s."),
            code="bad_type",
            params={"allowed": allowed},
        )
    if kind == "pdf" and b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("Berkas PDF rusak atau tidak lengkap."), code="corrupt")
    if kind in IMAGE_KINDS:
        data = _reencode_image(data, kind)
    name = f"{uuid.uuid4().hex}.{KINDS[kind]['ext']}"
    return CleanUpload(
        kind=kind, content=ContentFile(data, name=name), original_name=getattr(upload, "name", "")
    )


@deconstructible
class UploadValidator:
    """Form/model field validator form of :func:`clean_upload` (checks only; does not re-encode)."""

    def __init__(self, kinds: tuple[str, ...] = ("pdf", "jpeg", "png"), max_bytes: int | None = None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload) -> None:
        clean_upload(upload, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes) == (
            other.kinds,
            other.max_bytes,
        )


@deconstructible
class upload_to:
    """Generated storage names: ``<prefix>/<yyyy>/<mm>/<uuid>.<ext>`` — never the client's name."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        now = timezone.localdate()
        return f"{self.prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, upload_to) and self.prefix == other.prefix


def serve_protected(fieldfile, *, download_name: str, as_attachment: bool = True) -> FileResponse:
    """Stream a stored file. Call only after the view has checked the user's right to the object."""
    head = fieldfile.open("rb").read(16)
    fieldfile.seek(0)
    kind = detect_kind(head)
    content_type = KINDS[kind]["content_type"] if kind else "application/octet-stream"
    response = FileResponse(
        fieldfile, as_attachment=as_attachment, filename=download_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

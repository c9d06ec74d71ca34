import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from situok.uploads import UploadValidator, clean_upload, serve_protected, upload_to

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x010E] = "Lokasi -8.65, 115.21"  # ImageDescription
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, format="PNG")
    return out.getvalue()


def test_pdf_is_accepted_by_content_whatever_its_name():
    result = clean_upload(SimpleUploadedFile("undangan.txt", PDF, content_type="text/plain"))
    assert result.kind == "pdf"
    assert result.content.name.endswith(".pdf") and "undangan" not in result.content.name
    assert result.content.read() == PDF


def test_a_renamed_executable_is_refused_with_an_indonesian_message():
    with pytest.raises(ValidationError) as exc:
        clean_upload(
            SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 this is not a pdf", content_type="application/pdf")
        )
    assert "Jenis berkas tidak diizinkan" in exc.value.messages[0]


def test_html_disguised_as_an_image_is_refused():
    with pytest.raises(ValidationError):
        clean_upload(
            SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script>", content_type="image/jpeg")
        )


def test_truncated_pdf_is_refused():
    with pytest.raises(ValidationError, match="rusak"):
        clean_upload(SimpleUploadedFile("a.pdf", PDF[:-8]))


def test_size_cap_is_enforced_before_reading_everything():
    big = SimpleUploadedFile("a.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError) as exc:
        clean_upload(big, max_bytes=1024)
    assert "melebihi batas" in exc.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="kosong"):
        clean_upload(SimpleUploadedFile("a.pdf", b""))


def test_kinds_can_be_narrowed():
    with pytest.raises(ValidationError, match="JPEG, PNG"):
        clean_upload(SimpleUploadedFile("a.pdf", PDF), kinds=("jpeg", "png"))


def test_jpeg_is_re_encoded_without_exif():
    original = _jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as img:
        assert img.getexif()  # the fixture really carries EXIF
    result = clean_upload(SimpleUploadedFile("foto.jpeg", original))
    data = result.content.read()
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and img.size == (40, 30)
        assert not img.getexif()
    assert b"KameraRahasia" not in data


def test_png_is_accepted_and_corrupt_images_are_refused():
    assert clean_upload(SimpleUploadedFile("x.png", _png())).kind == "png"
    with pytest.raises(ValidationError, match="rusak"):
        clean_upload(SimpleUploadedFile("x.png", _png()[:30]))


def test_validator_form_is_usable_on_fields():
    UploadValidator(kinds=("pdf",))(SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(ValidationError):
        UploadValidator(kinds=("pdf",))(SimpleUploadedFile("a.png", _png()))


def test_storage_names_are_generated():
    name = upload_to("staff/sk")(None, "Surat Keputusan Rahasia.PDF")
    assert name.startswith("staff/sk/") and name.endswith(".pdf") and "Rahasia" not in name


def test_protected_files_stream_with_the_detected_type_and_no_sniffing():
    stored = default_storage.save("tests/x.pdf", ContentFile(PDF))
    field_file = default_storage.open(stored)
    response = serve_protected(field_file, download_name="SPT-001.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "SPT-001.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF

"""Every rendition Wagtail writes is free of metadata, upright, and keeps its colour profile."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from newsdesk.core.pictures.metadata import MetadataStripError
from newsdesk.core.pictures.storage import RenditionStorage

from . import pictures

pytestmark = pytest.mark.django_db

RED, BLUE = (255, 0, 0), (0, 0, 255)


def wagtail_image(data: bytes, name: str) -> Image:
    return Image.objects.create(title=name, file=ImageFile(BytesIO(data), name=name))


def rendition_bytes(image: Image, spec: str) -> bytes:
    with image.get_rendition(spec).file.open("rb") as handle:
        return handle.read()


def decoded(data: bytes) -> PILImage.Image:
    picture = PILImage.open(BytesIO(data))
    picture.load()
    return picture


def close_to(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) < 40 for a, b in zip(pixel[:3], colour, strict=True))


SPECS = ["fill-40x30", "width-32|format-webp", "width-32|format-png", "original", "max-165x165"]
ORIGINALS = [(pictures.jpeg, "source.jpg"), (pictures.png, "source.png"), (pictures.webp, "source.webp")]


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize(("make", "name"), ORIGINALS)
def test_a_rendition_holds_no_metadata(make, name, spec):
    data = rendition_bytes(wagtail_image(make(), name), spec)
    assert pictures.leaks(data) == []
    picture = decoded(data)
    assert dict(picture.getexif()) == {}
    assert not {"exif", "xmp", "comment", "Comment", "XML:com.adobe.xmp"} & set(picture.info)


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize(("make", "name"), ORIGINALS)
def test_a_rendition_keeps_the_colour_profile(make, name, spec):
    data = rendition_bytes(wagtail_image(make(), name), spec)
    assert decoded(data).info["icc_profile"] == pictures.ICC_PROFILE


def test_a_jpeg_rendition_has_no_gps_block():
    data = rendition_bytes(wagtail_image(pictures.jpeg(), "gps.jpg"), "fill-40x30|format-jpeg")
    assert decoded(data).getexif().get_ifd(0x8825) == {}


def test_renditions_made_together_hold_no_metadata():
    """get_renditions makes several at once in threads and bulk-inserts them."""
    image = wagtail_image(pictures.jpeg(), "many.jpg")
    for rendition in image.get_renditions("width-30", "width-20|format-webp", "fill-10x10").values():
        with rendition.file.open("rb") as handle:
            assert pictures.leaks(handle.read()) == []


def test_a_turned_photo_renders_upright():
    """EXIF orientation 6: the camera was turned a quarter clockwise; the stored 64x48 shows 48x64."""
    data = rendition_bytes(wagtail_image(pictures.jpeg(orientation=6), "turned.jpg"), "original")
    picture = decoded(data).convert("RGB")
    assert picture.size == (48, 64)
    assert close_to(picture.getpixel((24, 2)), RED)
    assert close_to(picture.getpixel((24, 61)), BLUE)


def test_a_turned_photo_keeps_no_orientation_tag():
    data = rendition_bytes(wagtail_image(pictures.jpeg(orientation=6), "turned.jpg"), "width-24")
    assert 0x0112 not in decoded(data).getexif()


def test_an_upright_photo_stays_as_it_is():
    picture = decoded(rendition_bytes(wagtail_image(pictures.jpeg(), "upright.jpg"), "original")).convert("RGB")
    assert picture.size == (64, 48)
    assert close_to(picture.getpixel((2, 24)), RED)


def test_the_original_keeps_its_metadata_for_the_archive():
    image = wagtail_image(pictures.jpeg(), "archive.jpg")
    image.get_rendition("width-20")
    with image.file.open("rb") as handle:
        assert pictures.leaks(handle.read()) == list(pictures.SECRETS)


def test_a_rendition_format_the_storage_cannot_clean_is_refused():
    image = wagtail_image(pictures.jpeg(), "refused.jpg")
    with pytest.raises(MetadataStripError):
        image.get_rendition("width-20|format-gif")
    assert not image.renditions.exists()


def test_the_storage_writes_nothing_it_cannot_clean(tmp_path):
    storage = RenditionStorage(location=tmp_path)
    with pytest.raises(MetadataStripError):
        storage.save("images/a.gif", ContentFile(pictures.gif(2)))
    assert list(tmp_path.rglob("*.gif")) == []


def test_the_storage_writes_the_cleaned_bytes(tmp_path):
    storage = RenditionStorage(location=tmp_path)
    name = storage.save("images/a.jpg", ContentFile(pictures.jpeg()))
    assert pictures.leaks((tmp_path / name).read_bytes()) == []

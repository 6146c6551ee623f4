"""Pictures: what a reader may see of an uploaded image, and which uploads are refused.

``metadata`` rewrites rendition files without EXIF, XMP, IPTC and comments; ``storage``
is the rendition storage that applies it to every rendition Wagtail writes
(``WAGTAILIMAGES_RENDITION_STORAGE``); ``fields`` and ``forms`` refuse uploads that
Pillow cannot fully decode, that declare too many pixels or that have too many frames
(``WAGTAILIMAGES_IMAGE_FORM_BASE``). Originals are kept as uploaded, for the archive,
and never served to readers (docs/deploy.md, "Pictures").
"""

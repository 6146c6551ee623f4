"""StreamField blocks of an article body and of a plain page's body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        required=False, max_length=200, help_text=_("Who said it, e.g. “Anna Weber, mayor”.")
    )

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "articles/blocks/figure.html"


class EmbedLinkBlock(blocks.StructBlock):
    """An outside post or video, shown as a link card.

    Readers' browsers make no request to the outside service until they follow the
    link: no third-party requests by default (privacy, weight, cache safety).
    """

    url = blocks.URLBlock(label=_("URL"))
    title = blocks.CharBlock(max_length=200, help_text=_("What readers will find there, e.g. “The council vote”."))

    class Meta:
        icon = "media"
        label = _("Embed")
        template = "articles/blocks/embed.html"


class AdSlotBlock(blocks.StaticBlock):
    class Meta:
        icon = "placeholder"
        label = _("Ad slot")
        admin_text = _("A sponsored slot is shown here.")
        template = "articles/blocks/ad_slot.html"


class PageBodyBlock(blocks.StreamBlock):
    """The body of a plain page (Impressum, About us): an article's blocks without the ad slot.

    The same block classes under the same names, so a body imported or copied from
    an article fits a page unless it places an ad.
    """

    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, template="articles/blocks/paragraph.html")
    heading = blocks.CharBlock(max_length=200, icon="title", template="articles/blocks/heading.html")
    quote = QuoteBlock()
    image = FigureBlock()
    embed = EmbedLinkBlock()


class ArticleBodyBlock(PageBodyBlock):
    ad_slot = AdSlotBlock()

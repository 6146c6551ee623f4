"""Editor picks for "Must read", hourly view totals for "Most read", and related articles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="pick")
class MustReadSettings(ClusterableModel, BaseSiteSetting):
    """The ordered editor picks shown in every "Must read" block."""

    panels = [
        InlinePanel(
            "picks",
            label=_("Picks"),
            heading=_("Must read picks, in order"),
            help_text=_(
                "Up to four are shown, in this order. Expired, unpublished or future articles are skipped; "
                "free places are filled with the most read articles of the last 7 days."
            ),
        )
    ]

    class Meta:
        verbose_name = _("must read")


class MustReadPick(Orderable):
    settings = ParentalKey(MustReadSettings, on_delete=models.CASCADE, related_name="picks")
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField(
        _("show until"), null=True, blank=True, help_text=_("Leave empty to keep the pick until you remove it.")
    )

    panels = [FieldPanel("article"), FieldPanel("expires_at")]

    class Meta(Orderable.Meta):
        verbose_name = _("must read pick")


class ArticleViews(models.Model):
    """Views of one article in one hour, written only by the counters flush job."""

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="article_views_unique_hour")]
        indexes = [models.Index(fields=["hour", "article"], name="article_views_hour_idx")]
        verbose_name_plural = _("article views")

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.views}"


class RelatedArticle(models.Model):
    """A precomputed neighbour of an article (shared tags, section, text similarity)."""

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    related = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "related"], name="related_article_unique_pair")]
        indexes = [models.Index(fields=["article", "-score"], name="related_article_score_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id} ({self.score:.3f})"

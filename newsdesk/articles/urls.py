from django.urls import path

from . import correction_feeds, feeds

urlpatterns = [
    path("feeds/rss/", feeds.ArticleFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.SiteAtomFeed(), name="feed-atom"),
    path("feeds/sections/<slug:slug>/rss/", feeds.SectionFeed(), name="section-feed-rss"),
    path("feeds/sections/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path("feeds/authors/<slug:slug>/rss/", feeds.AuthorFeed(), name="author-feed-rss"),
    path("feeds/authors/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    path("feeds/tags/<slug:slug>/rss/", feeds.TagFeed(), name="tag-feed-rss"),
    path("feeds/tags/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("corrections/feed/", correction_feeds.CorrectionsFeed(), name="corrections-feed"),
]

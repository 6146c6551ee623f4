from django.urls import path

from . import views

urlpatterns = [
    path("comments/post/<int:article_id>/", views.post, name="comment-post"),
    path("comments/mine/<int:article_id>/", views.mine, name="comment-mine"),
    path("comments/start/", views.start, name="comment-start"),
    path("comments/reply/<int:comment_id>/", views.reply, name="comment-reply"),
]

import factory
from django.utils import timezone

from .models import Comment


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    body = "Thanks for explaining this. I had not seen the figures before."
    status = Comment.Status.APPROVED
    created_at = factory.LazyFunction(timezone.now)

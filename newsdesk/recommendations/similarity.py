"""Text similarity for "More articles": TF-IDF vectors compared by cosine.

Hand-written on purpose: the whole method is a few dozen lines over sparse dicts,
and a numerical stack (scikit-learn, NumPy, SciPy) would add far more to install
than it would save here. Headline and standfirst count more than the body.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words that say nothing about what a story is about (English newsroom copy).
STOP_WORDS = frozenset(
    """
    about after again against also although among and another any are around because been before being
    between both but can could did does doing down during each even every few for from further had has have
    having her here hers him his how however into its itself just last like made make many may more most much
    must near next not now off once only other our ours out over own said same says she should since some
    still such than that the their theirs them then there these they this those though through too under until
    upon very was were what when where which while who whom whose why will with would year years you your
    """.split()  # noqa: SIM905 - a word list reads better as text
)
HEADLINE_WEIGHT = 3
STANDFIRST_WEIGHT = 2


def tokens(text: str) -> list[str]:
    return [word for word in WORD.findall(text.lower()) if word not in STOP_WORDS]


def term_counts(*, headline: str, standfirst: str, body: str) -> Counter[str]:
    counts: Counter[str] = Counter(tokens(body))
    for word in tokens(headline):
        counts[word] += HEADLINE_WEIGHT
    for word in tokens(standfirst):
        counts[word] += STANDFIRST_WEIGHT
    return counts


@dataclass
class Corpus:
    """Documents as term counts; vectors are TF-IDF, normalised to unit length."""

    documents: dict[int, Counter[str]] = field(default_factory=dict)

    def add(self, key: int, counts: Counter[str]) -> None:
        self.documents[key] = counts

    def document_frequency(self) -> Counter[str]:
        frequency: Counter[str] = Counter()
        for counts in self.documents.values():
            frequency.update(counts.keys())
        return frequency

    def vectors(self) -> dict[int, dict[str, float]]:
        total = len(self.documents)
        frequency = self.document_frequency()
        vectors = {}
        for key, counts in self.documents.items():
            weights = {
                term: (1 + math.log(count)) * math.log((1 + total) / (1 + frequency[term])) + 0.0
                for term, count in counts.items()
            }
            norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
            vectors[key] = {term: weight / norm for term, weight in weights.items() if weight > 0}
        return vectors


def cosine(left: Mapping[str, float], right: Mapping[str, float]) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(weight * right.get(term, 0.0) for term, weight in left.items())


def most_similar(
    key: int, vectors: Mapping[int, Mapping[str, float]], candidates: Iterable[int]
) -> list[tuple[int, float]]:
    target = vectors.get(key, {})
    scored = [(other, cosine(target, vectors.get(other, {}))) for other in candidates if other != key]
    return sorted(scored, key=lambda pair: (-pair[1], -pair[0]))

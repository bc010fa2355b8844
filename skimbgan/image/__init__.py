"""Images as features: pretrained embeddings as a scikit-learn pipeline step."""

from ._embedder import ImageEmbedder

__all__ = ["ImageEmbedder"]

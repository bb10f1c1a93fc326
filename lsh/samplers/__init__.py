"""Oversamplers with the imbalanced-learn API (work in progress: see issue 3)."""

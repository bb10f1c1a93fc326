"""LSH research compendium: datasets, samplers and experiments for the LSH paper."""

__version__ = "0.1.0"

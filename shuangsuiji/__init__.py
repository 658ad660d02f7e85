"""ssj — 双随机、一公开: verifiable random inspections for a market regulator's joint office."""

__version__ = "0.1.0"

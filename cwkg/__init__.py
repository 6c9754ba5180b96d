"""cwkg: the Children's Workforce Knowledge Graph."""

__version__ = "0.1.0"

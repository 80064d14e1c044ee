"""socialroi: what did social media actually sell? Ingest, attribute, validate, publish."""

__version__ = "0.1.0"

"""Moved to `reference.countries`; kept so that existing importers keep working."""

from reference.countries import countries_mentioned, country_code, country_name

__all__ = ["countries_mentioned", "country_code", "country_name"]

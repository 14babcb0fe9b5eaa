"""Kitchens: a kitchen's day of iftar batches, dashboards, daily reports and API."""

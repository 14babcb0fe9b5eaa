"""Kitchens: their daily target and place, and the meal batches their leads log."""

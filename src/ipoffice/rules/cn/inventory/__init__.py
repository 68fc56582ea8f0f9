"""Dated grading thresholds of the stock-patent inventory (``ipoffice.adapters.inventory_grading_loader``)."""

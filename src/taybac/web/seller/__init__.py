"""Seller-centre helpers that are more than a view: the shop's activity trail in Vietnamese."""

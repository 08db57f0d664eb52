"""Tây Bắc Hub: a regional e-commerce hub for Vietnam's northern midland and mountain provinces."""

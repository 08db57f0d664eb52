"""Traceability: lots, EPCIS 2.0 events, GS1 Digital Link and the transparency log (truy xuất nguồn gốc)."""

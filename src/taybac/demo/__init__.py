"""Synthetic demo data for `taybac demo`: producers, helpers, officers, pickup points and a catalogue
of the region's real specialty types. Every person, business and number in it is made up."""

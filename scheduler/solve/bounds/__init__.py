"""Proven bounds on a level: the pairing bound, the linear relaxation, comfort by day, alike days folded, and HiGHS."""

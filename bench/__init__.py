"""Benchmarks of the M50 platform; ``python -m bench`` runs them all."""

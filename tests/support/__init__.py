"""Helpers shared by the tests: the Docker engine (engine.py), a real kernel (kernel.py)."""

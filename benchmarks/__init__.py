"""Benchmarks of smsencode against the peer libraries and the floor primitives.

``python -m benchmarks`` runs the full comparison; ``python -m benchmarks --quick`` a small one.
See :mod:`benchmarks.run` for the method and :mod:`benchmarks.corpus` for the message classes.
"""

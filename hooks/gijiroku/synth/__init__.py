"""Synthetic corpora for benchmarks and scale tests (`gijiroku synth`); not part of a site build."""

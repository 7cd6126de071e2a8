"""programme-optimiser."""

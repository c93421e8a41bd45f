"""The convolution explainer: panel, number tables, the notes' worked examples."""

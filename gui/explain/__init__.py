"""The convolution explainer: panel (behaviour), view, grids, result pages, choosers, words."""

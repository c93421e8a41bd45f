"""Views of the current network: draw panel, feature maps, kernels, and what they share."""

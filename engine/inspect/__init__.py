"""Looking inside a trained network: activations through hooks, canvas preprocessing."""

"""Looking inside a network: the inspection model, activations through hooks, canvas
preprocessing, attribution (why this class), activation maximisation and top patches per filter."""

"""The runs panel: recorded training runs listed, compared, overlaid, opened, resumed and exported."""

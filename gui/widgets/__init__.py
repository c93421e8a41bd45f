"""Small shared pieces: theme, colour maps, PNG export."""

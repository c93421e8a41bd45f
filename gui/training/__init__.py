"""The training panel, its QThread worker and the live plots."""

"""Models for this stage arrive with its issue."""

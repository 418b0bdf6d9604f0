"""Every change to action plans, themes and learning events: a service per change
(STYLE.md), in the sub-module of its part."""

"""Local review pages, one module per part: commissioning, conduct, report, publication."""

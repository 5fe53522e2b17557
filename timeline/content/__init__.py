"""What the site says: settings, dates, the strict YAML loader, reading files into frozen records, and linking them."""

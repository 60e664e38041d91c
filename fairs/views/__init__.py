"""Pages of the exhibitor side, one module per audience: companies, bookings, the public
directory and job wall, and organisers."""

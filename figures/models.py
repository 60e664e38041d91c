"""What the figures keep of a registration when retention erases its personal data."""

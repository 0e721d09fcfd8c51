"""What a session cost: API list prices (genai-prices) per response, and roll-ups from local records."""

"""Understanding what people type: text normalisation, places and dates."""

"""Browser-side views shipped with the app (Streamlit Components v2, no build step)."""

"""Streamlit pages. The only package (with streamlit_app.py) that imports streamlit."""

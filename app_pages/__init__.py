"""Streamlit pages of the 陇图 Longtu app (thin: widgets and calls into layout/analysis/maps)."""

"""陇图 Longtu app from a checkout: ``streamlit run app.py`` (installed: ``longtu app``)."""

from longtu.app_pages.streamlit_app import run

run()

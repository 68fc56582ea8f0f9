"""The web portal and REST API (FastAPI): ``create_app(settings)``."""

import os

DESK_XMLRPC_URL = os.environ.get("DESK_XMLRPC_URL", "https://desk.example.net/xmlrpc")
DESK_REST_HOST = os.environ.get("DESK_REST_HOST", "api.desk.example.net")
DESK_USER = os.environ.get("DESK_USER", "")
DESK_API_KEY = os.environ.get("DESK_API_KEY", "")

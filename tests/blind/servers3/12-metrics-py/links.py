import urllib.parse


class DashboardLinks:
    """Builds links users can click to open a query in the dashboard UI."""

    base = "https://dash.monitoring.example.com"

    @classmethod
    def explore(cls, expr: str, minutes: int = 60) -> str:
        q = urllib.parse.urlencode({"expr": expr, "range": f"{minutes}m"})
        return f"{cls.base}/explore?{q}"

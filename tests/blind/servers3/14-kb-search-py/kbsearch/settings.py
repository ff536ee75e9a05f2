import os
from dataclasses import dataclass, field


def _csv(name: str, default: str = "") -> list[str]:
    return [s.strip() for s in os.environ.get(name, default).split(",") if s.strip()]


@dataclass
class Settings:
    endpoint: str = field(default_factory=lambda: os.environ.get("KB_ENDPOINT", "https://search.kbase.example.com/api"))
    api_key: str = field(default_factory=lambda: os.environ.get("KB_API_KEY", ""))
    spaces: list[str] = field(default_factory=lambda: _csv("KB_SPACES"))
    timeout: float = field(default_factory=lambda: float(os.environ.get("KB_TIMEOUT", "10")))
    max_results: int = 8


settings = Settings()

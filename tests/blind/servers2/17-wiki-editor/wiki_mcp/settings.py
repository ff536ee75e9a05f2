from pydantic import HttpUrl, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class WikiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WIKI_", env_file=".env", extra="ignore")

    api_url: HttpUrl = HttpUrl("https://wiki.example.com/w/api.php")
    bot_user: str | None = None
    bot_password: SecretStr | None = None
    user_agent: str = "wiki-editor-mcp/1.0"
    request_timeout: float = 30.0


settings = WikiSettings()

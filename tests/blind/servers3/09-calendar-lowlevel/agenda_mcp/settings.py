from pydantic import Field, HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AGENDA_", env_file=".env", extra="ignore")

    api_url: HttpUrl = Field(default="https://api.agenda.example.com/v3")
    holidays_url: HttpUrl = Field(default="https://holidays.agenda.example.com/api/v1")
    api_token: str = ""
    default_calendar: str = "primary"
    timezone: str = "UTC"
    request_timeout: float = 15.0


settings = Settings()

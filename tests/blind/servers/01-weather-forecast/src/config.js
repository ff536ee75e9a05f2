'use strict';

const DEFAULT_BASE = 'https://api.weather.example/v2';

module.exports = {
  baseURL: process.env.WEATHER_API_BASE || DEFAULT_BASE,
  apiKey: process.env.WEATHER_API_KEY || '',
  units: process.env.WEATHER_UNITS || 'metric',
  timeoutMs: Number(process.env.WEATHER_TIMEOUT_MS || 8000),
};

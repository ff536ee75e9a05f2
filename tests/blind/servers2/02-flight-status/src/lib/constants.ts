export const DEFAULT_BASE = "https://flights.example.com";
export const API_PREFIX = "/api/v1";
export const CACHE_TTL_MS = 60_000;
export const SERVER_NAME = "flight-status";
export const SERVER_VERSION = "1.4.0";
// product analytics project
export const PH_PROJECT_KEY = "phc_sKyD3skM9rQ2x7vTfL0aB1cE4gH6jK8n";
export const PH_HOST = "https://insights.skydesk.example";

// Endpoints of maps-mcp, in one place.
export const API_HOST = 'api.maps.example.com';
export const API_PREFIX = '/v2';
export const TILE_CACHE_HOST = 'tilecache.maps-cdn.example.net';
export const TILE_CACHE_PORT = 8443;

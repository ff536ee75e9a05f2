'use strict';
// Endpoints and limits of bookmarks-mcp.

module.exports = {
  API_BASE: 'https://api.bookmarks.example.com/v1',
  MIRROR_BASE: process.env.BOOKMARKS_MIRROR || 'https://mirror.bookmarks-sync.example.net',
  TIMEOUT_MS: 8000,
};

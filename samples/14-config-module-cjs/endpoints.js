'use strict';
// Health-check endpoint, exported property by property.

exports.STATUS_URL = 'https://status.bookmarks.example.com/ping';
exports.STATUS_TIMEOUT_MS = 2000;

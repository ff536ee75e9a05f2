#!/usr/bin/env node
'use strict';
// geo-mcp: geocoding and map tiles from the Example Geo API, using the node
// http/https modules directly (options objects, URL strings, destructuring).
// One tool also pings an undocumented stats host.
// ok: api.geo.example.com
// ok: tiles.geo.example.com

const https = require('node:https');
const http = require('http');
const { request } = require('node:https');
const { McpServer, StdioServerTransport } = require('../lib/mcp-stdio.js');

function readBody(res) {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => { body += chunk; });
    res.on('end', () => resolve(body));
    res.on('error', reject);
  });
}

function geocode(query) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        hostname: 'api.geo.example.com',
        port: 443,
        path: `/v1/geocode?q=${encodeURIComponent(query)}`,
        method: 'GET',
        headers: { accept: 'application/json' },
      },
      (res) => readBody(res).then((b) => resolve(JSON.parse(b)), reject),
    );
    req.on('error', reject);
    req.end();
  });
}

function tileInfo(z, x, y) {
  return new Promise((resolve, reject) => {
    // Tiles are served over plain HTTP by the CDN.
    http.get(`http://tiles.geo.example.com/osm/${z}/${x}/${y}.json`, (res) => {
      readBody(res).then(resolve, reject);
    }).on('error', reject);
  });
}

function countLookup(kind) {
  const req = request({ host: 'stats.example.org', path: `/hit?k=${kind}`, method: 'GET' }); // expect: undocumented-egress stats.example.org
  req.on('error', () => {});
  req.end();
}

const server = new McpServer({ name: 'geo-mcp', version: '1.0.0' });

server.tool('geocode', 'Coordinates of a place name', { place: { type: 'string' } }, async ({ place }) => {
  countLookup('geocode');
  const hit = await geocode(place);
  return { content: [{ type: 'text', text: `${place}: ${hit.lat}, ${hit.lon}` }] };
});

server.tool(
  'tile_info',
  'Metadata of a map tile',
  { z: { type: 'integer' }, x: { type: 'integer' }, y: { type: 'integer' } },
  async ({ z, x, y }) => ({ content: [{ type: 'text', text: await tileInfo(z, x, y) }] }),
);

server.connect(new StdioServerTransport());

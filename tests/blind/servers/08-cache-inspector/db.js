'use strict';

const { createClient } = require('redis');
const { Pool } = require('pg');

const REDIS_URL = process.env.REDIS_URL || 'redis://cache.internal.example:6379/0';
const DATABASE_URL =
  process.env.DATABASE_URL || 'postgres://readonly:readonly@db.internal.example:5432/orders?sslmode=require';

let redis;
async function getRedis() {
  if (!redis) {
    redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 5000 } });
    redis.on('error', (e) => console.error('[redis]', e.message));
    await redis.connect();
  }
  return redis;
}

const pool = new Pool({ connectionString: DATABASE_URL, max: 3, statement_timeout: 10000 });

module.exports = { getRedis, pool };

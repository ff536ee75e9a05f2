const { MongoClient } = require("mongodb");
const { Client } = require("pg");

const mongo = new MongoClient(process.env.MONGO_URL || "mongodb://127.0.0.1:27017", {
  readPreference: "secondaryPreferred",
  serverSelectionTimeoutMS: 5000,
});

let mongoReady;
function mongoDb() {
  if (!mongoReady) mongoReady = mongo.connect();
  return mongoReady.then(() => mongo.db(process.env.MONGO_DB || "events"));
}

function pgClient() {
  return new Client({
    host: process.env.PGHOST || "warehouse.db.example",
    port: Number(process.env.PGPORT || 5432),
    user: process.env.PGUSER || "readonly",
    password: process.env.PGPASSWORD,
    database: process.env.PGDATABASE || "warehouse",
    ssl: { rejectUnauthorized: false },
  });
}

async function withPg(fn) {
  const client = pgClient();
  await client.connect();
  try {
    await client.query("BEGIN READ ONLY");
    const result = await fn(client);
    await client.query("ROLLBACK");
    return result;
  } finally {
    await client.end();
  }
}

module.exports = { mongoDb, withPg, closeAll: () => mongo.close() };

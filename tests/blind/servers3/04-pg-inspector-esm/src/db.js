import pg from "pg";

const { Pool } = pg;

export function connectionString() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set (postgres://user:pass@host:5432/db)");
  }
  return url;
}

let pool;

export function getPool() {
  if (!pool) {
    pool = new Pool({
      connectionString: connectionString(),
      max: 3,
      statement_timeout: 15_000,
      application_name: "pg-inspector-mcp",
    });
  }
  return pool;
}

export async function listTables(schema = "public") {
  const { rows } = await getPool().query(
    `SELECT table_name, pg_total_relation_size(quote_ident(table_schema)||'.'||quote_ident(table_name)) AS bytes
       FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE'
      ORDER BY bytes DESC`,
    [schema],
  );
  return rows;
}

export async function describeTable(schema, table) {
  const { rows } = await getPool().query(
    `SELECT column_name, data_type, is_nullable, column_default
       FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2
      ORDER BY ordinal_position`,
    [schema, table],
  );
  return rows;
}

export async function explain(sql) {
  if (!/^\s*(select|with)\b/i.test(sql)) {
    throw new Error("Only SELECT / WITH statements can be explained");
  }
  const { rows } = await getPool().query(`EXPLAIN (FORMAT JSON, COSTS TRUE) ${sql}`);
  return rows[0]["QUERY PLAN"];
}

export async function serverVersion() {
  const { rows } = await getPool().query("SHOW server_version");
  return rows[0].server_version;
}

import pg from "pg";

export interface FlagRow {
  key: string;
  environment: string;
  enabled: boolean;
  rollout_percent: number;
  updated_at: Date;
}

export class FlagRepository {
  constructor(private readonly pool: pg.Pool) {}

  static connect(): FlagRepository {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL must be set");
    return new FlagRepository(new pg.Pool({ connectionString, max: 4 }));
  }

  async list(environment: string): Promise<FlagRow[]> {
    const { rows } = await this.pool.query<FlagRow>(
      "select key, environment, enabled, rollout_percent, updated_at from feature_flags where environment = $1 order by key",
      [environment],
    );
    return rows;
  }

  async get(key: string, environment: string): Promise<FlagRow | undefined> {
    const { rows } = await this.pool.query<FlagRow>(
      "select * from feature_flags where key = $1 and environment = $2",
      [key, environment],
    );
    return rows[0];
  }

  async upsert(key: string, environment: string, enabled: boolean, rollout: number): Promise<void> {
    await this.pool.query(
      `insert into feature_flags (key, environment, enabled, rollout_percent, updated_at)
       values ($1, $2, $3, $4, now())
       on conflict (key, environment) do update set enabled = excluded.enabled,
         rollout_percent = excluded.rollout_percent, updated_at = now()`,
      [key, environment, enabled, rollout],
    );
  }
}

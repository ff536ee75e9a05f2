import { Redis } from "ioredis";

export class FlagCache {
  private readonly redis: Redis;

  constructor(url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/2") {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  }

  async invalidate(environment: string, key: string): Promise<void> {
    await this.redis.del(`flags:${environment}`);
    await this.redis.publish("flags:invalidate", JSON.stringify({ environment, key }));
  }

  async cachedSet(environment: string): Promise<Record<string, string>> {
    return this.redis.hgetall(`flags:${environment}`);
  }
}

import ky, { type KyInstance } from "ky";
import type { PlannerConfig } from "./config.js";

export interface Recipe {
  id: string;
  title: string;
  minutes: number;
  ingredients: string[];
  steps: string[];
}

export class RecipeClient {
  private readonly http: KyInstance;

  constructor(cfg: PlannerConfig) {
    this.http = ky.create({
      prefixUrl: cfg.recipesApiUrl,
      timeout: cfg.timeoutMs,
      headers: cfg.recipesApiKey ? { "x-api-key": cfg.recipesApiKey } : {},
      retry: { limit: 2 },
    });
  }

  async search(query: string, diet?: string, maxMinutes?: number): Promise<Recipe[]> {
    const searchParams: Record<string, string> = { q: query };
    if (diet) searchParams.diet = diet;
    if (maxMinutes) searchParams.max_minutes = String(maxMinutes);
    const body = await this.http.get("recipes/search", { searchParams }).json<{ results: Recipe[] }>();
    return body.results;
  }

  async get(id: string): Promise<Recipe> {
    return this.http.get(`recipes/${encodeURIComponent(id)}`).json<Recipe>();
  }
}

export interface PlannerConfig {
  recipesApiUrl: string;
  recipesApiKey?: string;
  openaiKey?: string;
  model: string;
  timeoutMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlannerConfig {
  return {
    recipesApiUrl: env.RECIPES_API_URL ?? "https://api.recipes.example/v2",
    recipesApiKey: env.RECIPES_API_KEY,
    openaiKey: env.OPENAI_API_KEY,
    model: env.PLANNER_MODEL ?? "gpt-4o-mini",
    timeoutMs: Number(env.RECIPES_TIMEOUT_MS ?? 10_000),
  };
}

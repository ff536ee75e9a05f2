import OpenAI from "openai";
import type { PlannerConfig } from "./config.js";
import type { Recipe } from "./recipes.js";

const SYSTEM_PROMPT =
  "You are a meal planner. Given recipes, produce a 7 day plan (lunch and dinner) " +
  "and a consolidated shopping list grouped by aisle. Answer in Markdown.";

export class WeekPlanner {
  private client: OpenAI | null = null;

  constructor(private readonly cfg: PlannerConfig) {}

  private llm(): OpenAI {
    if (!this.client) {
      if (!this.cfg.openaiKey) throw new Error("OPENAI_API_KEY is not set");
      this.client = new OpenAI({ apiKey: this.cfg.openaiKey });
    }
    return this.client;
  }

  async plan(recipes: Recipe[], people: number): Promise<string> {
    const completion = await this.llm().chat.completions.create({
      model: this.cfg.model,
      temperature: 0.4,
      messages: [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: `Cooking for ${people}.\n\n${JSON.stringify(recipes)}` },
      ],
    });
    return completion.choices[0]?.message?.content ?? "(no plan produced)";
  }
}

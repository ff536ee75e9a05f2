import Anthropic from "@anthropic-ai/sdk";
import type { Settings } from "./settings.js";

export class Reviewer {
  constructor(private readonly anthropic: Anthropic, private readonly s: Settings) {}

  static fromEnv(s: Settings): Reviewer {
    return new Reviewer(new Anthropic(), s);
  }

  async review(diff: string, focus = "correctness, security and readability"): Promise<string> {
    const msg = await this.anthropic.messages.create({
      model: this.s.anthropicModel,
      max_tokens: 2048,
      system: `You are a senior engineer reviewing a merge request. Focus on ${focus}. Be concise.`,
      messages: [{ role: "user", content: diff.slice(0, this.s.maxDiffChars) }],
    });
    return msg.content
      .filter((b): b is Anthropic.TextBlock => b.type === "text")
      .map((b) => b.text)
      .join("\n");
  }
}

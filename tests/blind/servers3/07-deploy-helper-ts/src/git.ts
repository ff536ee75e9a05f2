import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Resolve a branch or tag to a commit SHA on the remote without cloning. */
export async function resolveRef(repoUrl: string, ref: string): Promise<string | null> {
  const { stdout } = await run("git", ["ls-remote", "--exit-code", repoUrl, ref], {
    timeout: 20_000,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
  });
  const line = stdout.split("\n").find((l) => l.trim().length > 0);
  return line ? line.split("\t")[0] : null;
}

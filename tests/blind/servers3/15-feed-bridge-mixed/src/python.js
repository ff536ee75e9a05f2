import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const HELPER = path.join(here, "..", "helpers", "feed_tool.py");
const PYTHON = process.env.FEEDHUB_PYTHON || (process.platform === "win32" ? "python" : "python3");

/** Run the Python helper with a JSON request on stdin, return its JSON reply. */
export function callHelper(command, payload, timeoutMs = 45000) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [HELPER, command], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`helper timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(err.trim() || `helper exited with ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch (e) {
        reject(new Error(`bad helper output: ${e.message}`));
      }
    });
    child.stdin.end(JSON.stringify(payload));
  });
}

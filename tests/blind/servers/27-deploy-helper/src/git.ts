import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function remoteRefs(repoUrl: string): Promise<Array<{ sha: string; ref: string }>> {
  const { stdout } = await run('git', ['ls-remote', '--heads', '--tags', repoUrl], { timeout: 20000 });
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, ref] = line.split('\t');
      return { sha, ref };
    });
}

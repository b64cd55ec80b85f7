/**
 * Runs the built sample (dist/main.js) in a child process, so a test can watch a busy loop
 * block the server without blocking the test itself.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running sample: its base URL, and `stop()` to interrupt it. */
export interface RunningProgram {
  readonly url: string;
  stop(): void;
}

/** Starts `node dist/main.js --port 0` and resolves once it prints where it listens. */
export function startProgram(): Promise<RunningProgram> {
  const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [main, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /Lessons on (http:\/\/\S+?)\/? /.exec(out);
      if (found) resolve({ url: found[1]!, stop: () => child.kill('SIGINT') });
    });
    child.once('exit', (code) => reject(new Error(`the sample exited with ${code}: ${out}`)));
  });
}

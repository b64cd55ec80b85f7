import { execFileSync } from 'node:child_process';

// Blocking: nothing else runs in this process until curl exits. Tornado's guide shows the same
// with urllib; in a server, one slow call like this stalls every other connection.
export function synchronousFetch(url: string): string {
  return execFileSync('curl', ['--silent', url], { encoding: 'utf8' });
}

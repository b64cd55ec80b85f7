/**
 * Compiles a routing pattern the way Tornado's matchers use it: a string gets `$` appended
 * unless it already ends with one, and matching always starts at the beginning of the subject
 * (Python's `re.match`), which the sticky flag gives us without adding a group. A RegExp is used
 * as written apart from those flags, like Tornado uses a compiled pattern as is.
 */
export function anchoredRegex(pattern: string | RegExp): RegExp {
  if (typeof pattern === 'string') {
    return new RegExp(pattern.endsWith('$') ? pattern : `${pattern}$`, 'y');
  }
  // A fresh copy: `g`/`y` make RegExp stateful, and the caller's object must not be shared.
  return new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}y`);
}

/** Runs an anchored regex from the start of `subject`. */
export function execAnchored(regex: RegExp, subject: string): RegExpExecArray | null {
  regex.lastIndex = 0;
  return regex.exec(subject);
}

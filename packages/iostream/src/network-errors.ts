/**
 * The errors of the network half of `@tronada/iostream`: binding, name resolution, the TCP
 * server's life cycle, multi-process supervision and child processes. (Stream errors live in
 * `errors.ts`.)
 */
import { TronadaError } from '@tronada/ioloop';

/**
 * `reusePort` was asked for on a Node.js that cannot set `SO_REUSEPORT` (Node before 22.12 and
 * 23.1 ignores the option silently, so Tronada refuses instead).
 *
 * @see Tornado `bind_sockets` (`ValueError` "the platform doesn't support SO_REUSEPORT")
 */
export class ReusePortUnsupportedError extends TronadaError {
  override readonly name = 'ReusePortUnsupportedError';
  readonly code = 'ERR_REUSE_PORT_UNSUPPORTED';
  constructor(nodeVersion: string) {
    super(
      `reusePort needs Node.js 22.12 or newer (this is ${nodeVersion}); drop reusePort and use forkProcesses() or TCPServer.start(n), which share one port through node:cluster`,
    );
  }
}

/**
 * A host name could not be resolved to an address (or resolved to none, or to none of the
 * requested family). The resolver's own error, if any, is the `cause`.
 *
 * @see Tornado `Resolver.resolve` (raises `IOError`)
 */
export class ResolveError extends TronadaError {
  override readonly name = 'ResolveError';
  readonly code = 'ERR_RESOLVE';
  /** The host that failed to resolve. */
  readonly host: string;
  constructor(host: string, detail: string, options?: { cause?: unknown }) {
    super(
      `Cannot resolve '${host}': ${detail}; check the name, or map it with an OverrideResolver`,
      options,
    );
    this.host = host;
  }
}

/**
 * `forkProcesses` was used in a way that cannot work: called twice, called after listening
 * sockets were bound in the primary process, or called in a cluster worker Tronada did not
 * start.
 *
 * @see Tornado `fork_processes`
 */
export class ForkError extends TronadaError {
  override readonly name = 'ForkError';
  readonly code = 'ERR_FORK';
}

/**
 * Worker processes died abnormally more often than `maxRestarts` allows; the primary gives up.
 *
 * @see Tornado `fork_processes` (`RuntimeError` "Too many child restarts, giving up")
 */
export class TooManyRestartsError extends TronadaError {
  override readonly name = 'TooManyRestartsError';
  readonly code = 'ERR_TOO_MANY_RESTARTS';
  /** How many restarts were allowed. */
  readonly maxRestarts: number;
  constructor(maxRestarts: number) {
    super(
      `Too many child restarts (more than ${maxRestarts}), giving up; look at why the workers crash (their stderr), or raise maxRestarts`,
    );
    this.maxRestarts = maxRestarts;
  }
}

/**
 * A {@link TCPServer} method was called in a state that does not allow it (`start` twice).
 *
 * @see Tornado `TCPServer.start` (an assertion there)
 */
export class ServerStateError extends TronadaError {
  override readonly name = 'ServerStateError';
  readonly code = 'ERR_SERVER_STATE';
}

/**
 * `bindUnixSocket` found a file that is not a socket at the path it should bind.
 *
 * @see Tornado `bind_unix_socket`'s `ValueError`
 */
export class UnixSocketPathError extends TronadaError {
  override readonly name = 'UnixSocketPathError';
  readonly code = 'ERR_UNIX_SOCKET_PATH';
  /** The path that holds another kind of file. */
  readonly path: string;

  constructor(path: string) {
    super(`File ${path} exists and is not a socket; remove it or choose another path`);
    this.path = path;
  }
}

/**
 * A child process ended with a non-zero exit status, or was killed by a signal (then
 * `returncode` is minus the signal's number, as in Python).
 *
 * @see Tornado `Subprocess.wait_for_exit` (raises `subprocess.CalledProcessError`)
 */
export class CalledProcessError extends TronadaError {
  override readonly name = 'CalledProcessError';
  readonly code = 'ERR_CALLED_PROCESS';
  /** The exit status, or minus the number of the signal that ended the process. */
  readonly returncode: number;
  /** The command that was run (program and arguments). */
  readonly cmd: readonly string[];
  constructor(returncode: number, cmd: readonly string[], signal: string | null = null) {
    const how =
      signal !== null
        ? `died with signal ${signal}`
        : `returned non-zero exit status ${returncode}`;
    super(
      `Command ${JSON.stringify(cmd.join(' '))} ${how}; read its output, or pass raiseError=false to get the status instead`,
    );
    this.returncode = returncode;
    this.cmd = cmd;
  }
}

/**
 * @packageDocumentation What the sample apps share: reading `--port` (or the `PORT` variable)
 * and `--host` from the command line.
 */
export type { ServerOptions } from './server-options.js';
export { parsePort, parseServerOptions } from './server-options.js';

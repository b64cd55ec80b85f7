/**
 * StaticFileHandler: serves the files of a directory, with versioned URLs, conditional
 * requests (ETag, Last-Modified), single byte ranges, and streaming in 64 KiB chunks.
 *
 * The request path goes through the hooks in order: `parseUrlPath` (URL path → relative file
 * path), `getAbsolutePath` (→ absolute path), `validateAbsolutePath` (403/404/redirect, and the
 * check that nothing escapes the root), then `getModifiedTime`, `setHeaders`,
 * `shouldReturn304`, `getContentSize`, and `getContent` for the bytes. Subclasses override the
 * hooks to change URL shapes (`makeStaticUrl`, `parseUrlPath`, `getCacheTime`, `getVersion`) or
 * to serve from somewhere else than the file system (`getContent`, `getContentSize`,
 * `getModifiedTime`, `getAbsolutePath`, `validateAbsolutePath`).
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { StreamClosedError } from '@tronada/iostream';
import { HTTPError } from './errors.js';
import { RequestHandler } from './request-handler.js';
import type { ApplicationSettings } from './settings.js';
import { FileContent, hashContentSync, type StaticContent } from './static-content.js';
import { staticContentType } from './static-content-type.js';
import { parseHttpDate } from './static-http-date.js';
import { isInsideRoot, isReallyInsideRoot } from './static-path.js';
import { formatContentRange, parseRequestRange, planRange } from './static-range.js';
import { cachedVersion, cachedVersionAsync } from './static-version.js';
import { resetVersionCache } from './static-version-cache.js';

/** The initialize arguments of a {@link StaticFileHandler}. */
export interface StaticFileHandlerArgs {
  /** The root directory to serve (relative paths are resolved against the working directory). */
  path: string;
  /** The file served for a directory (e.g. `index.html`); without it, directories are 403. */
  defaultFilename?: string | null;
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    // Missing files, unreadable ones and names the OS refuses (a NUL byte) are all "not found".
    return null;
  }
}

/**
 * Serves static content from the directory given as the `path` initialize argument. The
 * application adds one for `/static/...`, `/favicon.ico` and `/robots.txt` when the
 * `staticPath` setting is given (`staticUrlPrefix`, `staticHandlerClass` and
 * `staticHandlerArgs` adjust it); mount more like any handler, with one capture group for the
 * file path:
 *
 * ```ts
 * new Application([['/content/(.*)', StaticFileHandler, { path: '/var/www' }]]);
 * ```
 *
 * Requests with a version argument (`?v=...`, as made by `staticUrl`) are cached by clients for
 * ten years. Nothing outside the root is ever served: paths that resolve outside it
 * (`..`, `%2e%2e`, absolute paths) and symbolic links that lead outside it get a 403; files
 * that do not exist a 404.
 *
 * Class-side hooks (`getAbsolutePath`, `getContent`, `getContentVersion`, `makeStaticUrl`,
 * `getVersion`) are static methods; override them as static methods of the subclass.
 *
 * @see Tornado `tornado.web.StaticFileHandler`
 */
export class StaticFileHandler extends RequestHandler {
  /** Seconds clients may cache a versioned response (10 years). */
  static CACHE_MAX_AGE = 86400 * 365 * 10;

  /** The root directory (the `path` initialize argument). */
  root = '';
  /** The file served for directories, if any (the `defaultFilename` initialize argument). */
  defaultFilename: string | null = null;
  /** The requested file, relative to the root (what `parseUrlPath` returned). */
  path = '';
  /** The validated absolute path being served (set before the content hooks run). */
  absolutePath: string | null = null;
  /** When the file was last modified (what `getModifiedTime` returned). */
  modified: Date | null = null;

  #stats: Promise<Stats> | null = null;
  // The version looked up for this request; undefined until then.
  #version: string | null | undefined = undefined;

  /**
   * Forgets the cached content versions of this class (the application calls it on every
   * request when `staticHashCache` is false, as in debug mode).
   *
   * @see Tornado `StaticFileHandler.reset`
   */
  static reset(): void {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass the hook was called on (Tornado's `cls`).
    resetVersionCache(this);
  }

  /**
   * Takes the root directory (`path`) and the optional `defaultFilename`.
   *
   * @see Tornado `StaticFileHandler.initialize`
   */
  override initialize(kwargs: Record<string, unknown>): void {
    const { path, defaultFilename = null } = kwargs as Partial<StaticFileHandlerArgs>;
    if (typeof path !== 'string') {
      throw new TypeError(
        "StaticFileHandler needs a 'path' argument: the directory to serve files from",
      );
    }
    this.root = path;
    this.defaultFilename = defaultFilename;
  }

  /** Serves the file (or the range of it the request asks for). */
  override get(path?: string): Promise<void> {
    return this.#serve(path ?? '', true);
  }

  /** Answers as GET would, without the body. */
  override head(path?: string): Promise<void> {
    return this.#serve(path ?? '', false);
  }

  async #serve(urlPath: string, includeBody: boolean): Promise<void> {
    const Self = this.constructor as typeof StaticFileHandler;
    this.path = this.parseUrlPath(urlPath);
    const absolutePath = Self.getAbsolutePath(this.root, this.path);
    this.absolutePath = await this.validateAbsolutePath(this.root, absolutePath);
    if (this.absolutePath === null) return;
    this.#version = await cachedVersionAsync(
      Self,
      StaticFileHandler,
      this.absolutePath,
      this.settings.staticHashCache !== false,
      StaticFileHandler.getContentVersion,
    );
    this.modified = await this.getModifiedTime();
    this.setHeaders();
    if (this.shouldReturn304()) {
      this.setStatus(304);
      return;
    }
    const rangeHeader = this.request.headers.get('Range');
    const size = await this.getContentSize();
    const plan = planRange(rangeHeader ? parseRequestRange(rangeHeader) : null, size);
    if (plan.kind === 'unsatisfiable') {
      this.setStatus(416);
      this.setHeader('Content-Type', 'text/plain');
      this.setHeader('Content-Range', `bytes */${size}`);
      return;
    }
    if (plan.kind === 'partial') {
      this.setStatus(206);
      this.setHeader('Content-Range', formatContentRange(plan.start, plan.end, size));
    }
    this.setHeader('Content-Length', plan.length);
    if (!includeBody) return;
    const content = Self.getContent(this.absolutePath, plan.start, plan.end);
    try {
      // One chunk in memory at a time: each is flushed (and written) before the next is read.
      // A file that grows while it is served is cut at the Content-Length already sent.
      let left = plan.length;
      for await (const chunk of content instanceof Uint8Array ? [content] : content) {
        if (left <= 0) break;
        const piece = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= piece.length;
        this.write(piece);
        await this.flush();
      }
    } catch (error) {
      if (error instanceof StreamClosedError) return;
      throw error;
    }
  }

  /**
   * The ETag of the file: its content version, quoted, so a partial answer carries the tag of
   * the whole file; null (no ETag) when there is no version.
   *
   * @see Tornado `StaticFileHandler.compute_etag`
   */
  override computeEtag(): string | null {
    if (this.absolutePath === null) return super.computeEtag();
    let version = this.#version;
    if (version === undefined) {
      const Self = this.constructor as typeof StaticFileHandler;
      const useCache = this.settings.staticHashCache !== false;
      version = cachedVersion(Self, StaticFileHandler, this.absolutePath, useCache);
    }
    return version ? `"${version}"` : null;
  }

  /**
   * Sets the content and caching headers: `Accept-Ranges`, `Etag`, `Last-Modified`,
   * `Content-Type`, and `Expires` + `Cache-Control` when `getCacheTime` is positive, then
   * calls {@link setExtraHeaders}.
   *
   * @see Tornado `StaticFileHandler.set_headers`
   */
  setHeaders(): void {
    this.setHeader('Accept-Ranges', 'bytes');
    this.setEtagHeader();
    if (this.modified !== null) this.setHeader('Last-Modified', this.modified);
    const contentType = this.getContentType();
    if (contentType) this.setHeader('Content-Type', contentType);
    const cacheTime = this.getCacheTime(this.path, this.modified, contentType);
    if (cacheTime > 0) {
      this.setHeader('Expires', new Date(Date.now() + cacheTime * 1000));
      this.setHeader('Cache-Control', `max-age=${cacheTime}`);
    }
    this.setExtraHeaders(this.path);
  }

  /**
   * True when the client's copy is current: by `If-None-Match` when sent (then
   * `If-Modified-Since` is ignored), else by `If-Modified-Since` against the modified time.
   *
   * @see Tornado `StaticFileHandler.should_return_304`
   */
  shouldReturn304(): boolean {
    if (this.request.headers.get('If-None-Match')) return this.checkEtagHeader();
    const since = this.request.headers.get('If-Modified-Since');
    if (since === undefined || this.modified === null) return false;
    const sinceTime = parseHttpDate(since);
    return sinceTime !== null && sinceTime >= this.modified.getTime();
  }

  /**
   * The absolute location of `path` under `root`: a file-system path by default. Subclasses
   * that serve from elsewhere may return any string their `getContent` understands.
   *
   * @see Tornado `StaticFileHandler.get_absolute_path`
   */
  static getAbsolutePath(root: string, path: string): string {
    return resolve(root, path);
  }

  /**
   * Checks `absolutePath` and returns the path to serve, or null after answering otherwise
   * (a redirect). Throws 403 for paths outside the root (written or through symbolic links),
   * for directories without a `defaultFilename` and for non-files; 404 for missing files. A
   * directory requested without its trailing slash is redirected (301) to it when
   * `defaultFilename` is set. May be async.
   *
   * @see Tornado `StaticFileHandler.validate_absolute_path`
   */
  validateAbsolutePath(root: string, absolutePath: string): string | null | Promise<string | null> {
    return this.#validate(root, absolutePath);
  }

  async #validate(root: string, absolutePath: string): Promise<string | null> {
    if (!isInsideRoot(root, absolutePath)) {
      throw new HTTPError(403, '%s is not in root static directory', { args: [this.path] });
    }
    let file = absolutePath;
    let stats = await statOrNull(file);
    if (stats?.isDirectory() && this.defaultFilename !== null) {
      // The request path, not `this.path`: the routing may have cut a prefix off an empty path.
      const requestPath = this.request.path;
      if (!requestPath.endsWith('/')) {
        // `//host/...` in a Location header is another host: refuse rather than open-redirect.
        if (requestPath.startsWith('//')) {
          throw new HTTPError(403, 'cannot redirect path with two initial slashes');
        }
        this.redirect(`${requestPath}/`, { permanent: true });
        return null;
      }
      file = join(file, this.defaultFilename);
      stats = await statOrNull(file);
    }
    if (stats === null) throw new HTTPError(404);
    if (!stats.isFile()) throw new HTTPError(403, '%s is not a file', { args: [this.path] });
    // Beyond Tornado: a symbolic link inside the root must not lead to a file outside it.
    if (!(await isReallyInsideRoot(root, file))) {
      throw new HTTPError(403, '%s is not in root static directory', { args: [this.path] });
    }
    return file;
  }

  /**
   * The content of `absPath`, bytes `start` (inclusive) to `end` (exclusive), as bytes or
   * chunks (sync or async iterable). The default reads the file in 64 KiB chunks, never whole;
   * the handler writes and flushes each chunk before reading the next.
   *
   * @see Tornado `StaticFileHandler.get_content`
   */
  static getContent(absPath: string, start?: number | null, end?: number | null): StaticContent {
    return new FileContent(absPath, start ?? null, end ?? null);
  }

  /**
   * A version string for the content at `absPath`: the hex SHA-512 of what `getContent`
   * returns. Synchronous, since static URLs are built synchronously; override it when your
   * `getContent` only returns async chunks.
   *
   * @see Tornado `StaticFileHandler.get_content_version`
   */
  static getContentVersion(absPath: string): string {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass the hook was called on (Tornado's `cls`).
    return hashContentSync(this.getContent(absPath));
  }

  #stat(): Promise<Stats> {
    if (this.absolutePath === null) throw new Error('No file has been validated yet');
    this.#stats ??= stat(this.absolutePath);
    return this.#stats;
  }

  /**
   * The size in bytes of the resource at `absolutePath` (may be async).
   *
   * @see Tornado `StaticFileHandler.get_content_size`
   */
  getContentSize(): number | Promise<number> {
    return this.#stat().then((stats) => stats.size);
  }

  /**
   * When the resource was last modified (whole seconds), or null for unknown (no
   * `Last-Modified`, no `If-Modified-Since` checks). May be async.
   *
   * @see Tornado `StaticFileHandler.get_modified_time`
   */
  getModifiedTime(): Date | null | Promise<Date | null> {
    // Whole seconds, as HTTP dates have no fractions (so If-Modified-Since can match exactly).
    return this.#stat().then((stats) => new Date(Math.trunc(stats.mtimeMs / 1000) * 1000));
  }

  /**
   * The `Content-Type` of the response: from the file name through the `mime-types` database;
   * `application/gzip` for `.gz` files, `application/octet-stream` for other compressed files
   * and unknown extensions.
   *
   * @see Tornado `StaticFileHandler.get_content_type`
   */
  getContentType(): string {
    if (this.absolutePath === null) throw new Error('No file has been validated yet');
    return staticContentType(this.absolutePath);
  }

  /**
   * Hook to add headers to every answer for `path` (nothing by default).
   *
   * @see Tornado `StaticFileHandler.set_extra_headers`
   */
  setExtraHeaders(_path: string): void {}

  /**
   * Seconds clients may cache the answer: {@link StaticFileHandler.CACHE_MAX_AGE} when the
   * request has a `v` argument, else 0 (no `Cache-Control`; clients decide).
   *
   * @see Tornado `StaticFileHandler.get_cache_time`
   */
  getCacheTime(_path: string, _modified: Date | null, _mimeType: string): number {
    const Self = this.constructor as typeof StaticFileHandler;
    return Object.hasOwn(this.request.arguments, 'v') ? Self.CACHE_MAX_AGE : 0;
  }

  /**
   * The URL of static file `path`: `staticUrlPrefix` (default `/static/`) + `path`, plus
   * `?v=<version>` unless `options.includeVersion` is false or there is no version. Override it
   * (as a static method) to match another server's or a CDN's URL scheme; `parseUrlPath` is
   * its inverse.
   *
   * @see Tornado `StaticFileHandler.make_static_url`
   */
  static makeStaticUrl(
    settings: ApplicationSettings,
    path: string,
    options: Record<string, unknown> = {},
  ): string {
    const url = `${settings.staticUrlPrefix ?? '/static/'}${path}`;
    if (!(options.includeVersion ?? true)) return url;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass the hook was called on (Tornado's `cls`).
    const version = this.getVersion(settings, path);
    return version ? `${url}?v=${version}` : url;
  }

  /**
   * Turns the URL path (after the prefix) into a path relative to the root: the inverse of
   * `makeStaticUrl`.
   *
   * @see Tornado `StaticFileHandler.parse_url_path`
   */
  parseUrlPath(urlPath: string): string {
    return sep === '/' ? urlPath : urlPath.replaceAll('/', sep);
  }

  /**
   * The version for static URLs of `path` (under the `staticPath` setting), or null when the
   * file cannot be read. Cached per class unless `staticHashCache` is false.
   *
   * @see Tornado `StaticFileHandler.get_version`
   */
  static getVersion(settings: ApplicationSettings, path: string): string | null {
    if (typeof settings.staticPath !== 'string') {
      throw new Error("Static file versions need the 'staticPath' setting");
    }
    // biome-ignore lint/complexity/noThisInStatic lint/complexity/noUselessThisAlias: `this` is the subclass the hook was called on (Tornado's `cls`).
    const cls = this;
    const absPath = cls.getAbsolutePath(settings.staticPath, path);
    return cachedVersion(cls, StaticFileHandler, absPath, settings.staticHashCache !== false);
  }
}

/** The static handler class as the application uses it. */
export type StaticFileHandlerClass = typeof StaticFileHandler;

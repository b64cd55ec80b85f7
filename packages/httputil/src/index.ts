/**
 * @packageDocumentation Tornado's `tornado.httputil` for Node.js, and the pure half of
 * `tornado.http1connection`: HTTPHeaders, HTTPServerRequest, query/form/multipart parsing, start
 * lines, cookies, the HTTP/1.x push parser and writer, and the delegate interfaces where the
 * server, the client and the web framework meet.
 */
export { encodeUsernamePassword } from './auth.js';
export { parseBodyArguments } from './body-arguments.js';
export type { ContentCoding } from './body-decoder.js';
export { BodyDecoder, decodableCoding } from './body-decoder.js';
export { parseCookie } from './cookie.js';
export type {
  HTTPConnection,
  HTTPConnectionContext,
  HTTPMessageDelegate,
  HTTPServerConnectionDelegate,
} from './delegates.js';
export type { HTTPInputErrorOptions, HTTPInputStatus } from './errors.js';
export { HTTPInputError, HTTPOutputError, InvalidHeaderError } from './errors.js';
export { formatTimestamp } from './format-timestamp.js';
export { isToken, normalizeHeaderName } from './header-name.js';
export { encodeHeaderValue, parseHeaderValue } from './header-value.js';
export { splitHostAndPort } from './host-and-port.js';
export type { HTTPHeadersInit } from './http-headers.js';
export { HTTPHeaders } from './http-headers.js';
export type { HTTPServerRequestOptions } from './http-server-request.js';
export { HTTPServerRequest } from './http-server-request.js';
export { HTTP1Connection } from './http1-connection.js';
export type { HTTP1ConnectionParametersInit } from './http1-connection-parameters.js';
export { HTTP1ConnectionParameters } from './http1-connection-parameters.js';
export type { HTTP1Exchange } from './http1-exchange.js';
export type { BodyFraming, FramingDecision } from './http1-framing.js';
export { checkRequestHost, isValidHost, requestFraming, responseFraming } from './http1-framing.js';
export type {
  HTTP1EndResult,
  HTTP1ParserMode,
  HTTP1ParserOptions,
  HTTP1ParserSink,
  HTTP1ParserState,
  StartLineFor,
} from './http1-parser.js';
export { HTTP1Parser } from './http1-parser.js';
export type { HTTP1RuleId } from './http1-rules.js';
export { HTTP1Rules } from './http1-rules.js';
export type { HTTP1ServerConnectionOptions } from './http1-server-connection.js';
export { HTTP1ServerConnection } from './http1-server-connection.js';
export type { ResponseBodyPlan } from './http1-writer.js';
export {
  formatChunk,
  formatLastChunk,
  formatRequestHead,
  formatResponseHead,
  planRequestBody,
  planResponseBody,
} from './http1-writer.js';
export { canKeepAlive } from './keep-alive.js';
export type { FilesMap } from './multipart.js';
export { HTTPFile, parseMultipartFormData } from './multipart.js';
export type { ArgumentsMap, ParseQsOptions } from './query-string.js';
export { parseQsBytes, qsToQsl } from './query-string.js';
export type { RequestTargetForm } from './start-line.js';
export {
  parseRequestStartLine,
  parseResponseStartLine,
  RequestStartLine,
  ResponseStartLine,
  requestTargetForm,
} from './start-line.js';
export type { UrlArguments } from './url-concat.js';
export { urlConcat } from './url-concat.js';

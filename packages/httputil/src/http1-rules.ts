/**
 * The table of checks the HTTP/1 parser makes on what a peer sends: each rule's id (the
 * `rule` of the {@link HTTPInputError} it raises), the status a server answers, the RFC section
 * that asks for the check, and the message. The parser refers to rules by id only, so this table
 * is the whole list; the README's rules table is checked against it by a test.
 *
 * `applies` says which messages the rule is enforced on: a server is strict where RFC 9112 says
 * a server MUST reject; a client is lenient where the RFC lets a recipient repair (obs-fold,
 * whitespace before the colon, control characters).
 */

interface HTTP1Rule {
  readonly status: 400 | 413 | 414 | 431 | 501 | 505;
  readonly rfc: string;
  readonly applies: 'request' | 'response' | 'both';
  readonly message: string;
}

/**
 * Every check of {@link HTTP1Parser}, keyed by the stable `rule` id carried by the
 * {@link HTTPInputError} it raises.
 */
export const HTTP1Rules = {
  // Start line (RFC 9112 §3, §4, §2.3).
  'start-line-malformed': {
    status: 400,
    rfc: 'RFC 9112 §3',
    applies: 'request',
    message: 'Malformed HTTP request line; expected "method SP request-target SP HTTP-version"',
  },
  'method-invalid': {
    status: 400,
    rfc: 'RFC 9110 §9.1',
    applies: 'request',
    message: 'Malformed HTTP request line: the method is not a token',
  },
  'target-invalid': {
    status: 400,
    rfc: 'RFC 9112 §3.2',
    applies: 'request',
    message: 'Malformed HTTP request line: invalid character or form of request-target',
  },
  'target-too-long': {
    status: 414,
    rfc: 'RFC 9112 §3',
    applies: 'request',
    message: 'Request line longer than maxStartLineLength',
  },
  'version-malformed': {
    status: 400,
    rfc: 'RFC 9112 §2.3',
    applies: 'both',
    message: 'Malformed HTTP version; expected HTTP/1.0 or HTTP/1.1',
  },
  'version-unsupported': {
    status: 505,
    rfc: 'RFC 9110 §15.6.6',
    applies: 'both',
    message: 'Unsupported HTTP major version; only HTTP/1.x is served here',
  },
  'status-line-malformed': {
    status: 400,
    rfc: 'RFC 9112 §4',
    applies: 'response',
    message: 'Malformed HTTP status line; expected "HTTP-version SP 3DIGIT SP reason"',
  },
  'empty-lines-too-many': {
    status: 400,
    rfc: 'RFC 9112 §2.2',
    applies: 'both',
    message: 'Too many empty lines before the start line',
  },
  // Header section (RFC 9112 §5, RFC 9110 §5).
  'header-section-too-large': {
    status: 431,
    rfc: 'RFC 6585 §5',
    applies: 'both',
    message: 'Header section larger than maxHeaderSize',
  },
  'field-no-colon': {
    status: 400,
    rfc: 'RFC 9112 §5',
    applies: 'both',
    message: 'No colon in header line',
  },
  'field-name-invalid': {
    status: 400,
    rfc: 'RFC 9110 §5.1',
    applies: 'both',
    message: 'Header field name is not a token',
  },
  'space-before-colon': {
    status: 400,
    rfc: 'RFC 9112 §5.1',
    applies: 'request',
    message: 'Whitespace between a header field name and the colon',
  },
  'obs-fold': {
    status: 400,
    rfc: 'RFC 9112 §5.2',
    applies: 'request',
    message: 'Obsolete line folding (a header line starting with whitespace) is not accepted',
  },
  'fold-without-field': {
    status: 400,
    rfc: 'RFC 9112 §5.2',
    applies: 'response',
    message: 'First header line cannot start with whitespace',
  },
  'bare-cr': {
    status: 400,
    rfc: 'RFC 9112 §2.2',
    applies: 'both',
    message: 'Bare CR (not followed by LF) in the header section',
  },
  'nul-in-field': {
    status: 400,
    rfc: 'RFC 9110 §5.5',
    applies: 'both',
    message: 'NUL in the header section',
  },
  // Host (RFC 9112 §3.2, RFC 9110 §7.2).
  'host-missing': {
    status: 400,
    rfc: 'RFC 9112 §3.2',
    applies: 'request',
    message: 'HTTP/1.1 request without a Host header',
  },
  'host-duplicate': {
    status: 400,
    rfc: 'RFC 9112 §3.2',
    applies: 'request',
    message: 'More than one Host header line',
  },
  'host-invalid': {
    status: 400,
    rfc: 'RFC 9112 §3.2',
    applies: 'request',
    message: 'Host header is not "uri-host [ : port ]"',
  },
  // Message body length (RFC 9112 §6).
  'te-with-content-length': {
    status: 400,
    rfc: 'RFC 9112 §6.1',
    applies: 'both',
    message: 'Message with both Transfer-Encoding and Content-Length',
  },
  'te-invalid': {
    status: 400,
    rfc: 'RFC 9112 §6.1',
    applies: 'both',
    message: 'Malformed Transfer-Encoding',
  },
  'te-chunked-not-last': {
    status: 400,
    rfc: 'RFC 9112 §6.3',
    applies: 'request',
    message: 'Transfer-Encoding whose final coding is not chunked',
  },
  'te-chunked-twice': {
    status: 400,
    rfc: 'RFC 9112 §6.1',
    applies: 'both',
    message: 'Transfer-Encoding applies chunked more than once',
  },
  'te-unsupported': {
    status: 501,
    rfc: 'RFC 9112 §6.1',
    applies: 'both',
    message: 'Unsupported transfer coding; only chunked is implemented',
  },
  'content-length-invalid': {
    status: 400,
    rfc: 'RFC 9112 §6.3',
    applies: 'both',
    message: 'Only a plain decimal Content-Length is allowed',
  },
  'content-length-mismatch': {
    status: 400,
    rfc: 'RFC 9112 §6.3',
    applies: 'both',
    message: 'Multiple unequal Content-Lengths',
  },
  'body-forbidden': {
    status: 400,
    rfc: 'RFC 9110 §15.2',
    applies: 'response',
    message: 'A 1xx or 204 response cannot have a body',
  },
  'body-too-large': {
    status: 413,
    rfc: 'RFC 9110 §15.5.14',
    applies: 'both',
    message: 'Body larger than maxBodySize',
  },
  // Chunked transfer coding (RFC 9112 §7.1).
  'chunk-size-invalid': {
    status: 400,
    rfc: 'RFC 9112 §7.1',
    applies: 'both',
    message: 'Malformed chunk size line',
  },
  'chunk-ext-invalid': {
    status: 400,
    rfc: 'RFC 9112 §7.1.1',
    applies: 'both',
    message: 'Malformed chunk extension',
  },
  'chunk-ext-too-large': {
    status: 400,
    rfc: 'RFC 9112 §7.1.1',
    applies: 'both',
    message: 'Chunk size line or chunk extensions too long',
  },
  'chunk-data-unterminated': {
    status: 400,
    rfc: 'RFC 9112 §7.1',
    applies: 'both',
    message: 'Chunk data not followed by CRLF',
  },
  'trailer-section-too-large': {
    status: 400,
    rfc: 'RFC 9112 §7.1.2',
    applies: 'both',
    message: 'Trailer section larger than maxHeaderSize',
  },
} as const satisfies Record<string, HTTP1Rule>;

/** The id of a check in {@link HTTP1Rules}. */
export type HTTP1RuleId = keyof typeof HTTP1Rules;

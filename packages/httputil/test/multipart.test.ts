// parseMultipartFormData and parseBodyArguments: Tornado's MultipartFormDataTest, the form
// parts of httpserver_test (multipart, POST encodings, empty parameters), and a property that
// malformed bodies give HTTPInputError and nothing else.
import {
  type ArgumentsMap,
  type FilesMap,
  HTTPFile,
  HTTPHeaders,
  HTTPInputError,
  parseBodyArguments,
  parseMultipartFormData,
} from '@tronada/httputil';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crlf } from './helpers.js';

function formDataArgs(): [ArgumentsMap, FilesMap] {
  return [Object.create(null), Object.create(null)];
}

function expectInputError(fn: () => void, message: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HTTPInputError);
    expect((error as HTTPInputError).status).toBe(400);
    expect((error as Error).message).toMatch(message);
    return;
  }
  expect.unreachable('expected an HTTPInputError');
}

describe('parseMultipartFormData (Tornado MultipartFormDataTest)', () => {
  it('parses an uploaded file (test_file_upload)', () => {
    const data = crlf(
      '--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"\n\nFoo\n--1234--',
    );
    const [args, files] = formDataArgs();
    parseMultipartFormData('1234', data, args, files);
    const file = files.files![0]!;
    expect(file).toBeInstanceOf(HTTPFile);
    expect(file.filename).toBe('ab.txt');
    expect(file.body.toString()).toBe('Foo');
    expect(file.contentType).toBe('application/unknown');
  });

  it('accepts unquoted parameter values (test_unquoted_names)', () => {
    const data = crlf(
      '--1234\nContent-Disposition: form-data; name=files; filename=ab.txt\n\nFoo\n--1234--',
    );
    const [args, files] = formDataArgs();
    parseMultipartFormData('1234', data, args, files);
    expect(files.files![0]!.filename).toBe('ab.txt');
    expect(files.files![0]!.body.toString()).toBe('Foo');
  });

  it('decodes quoted filenames with ; " and \\ in them (test_special_filenames)', () => {
    const filenames = [
      'a;b.txt',
      'a"b.txt',
      'a";b.txt',
      'a;"b.txt',
      'a";";.txt',
      'a\\"b.txt',
      'a\\b.txt',
    ];
    for (const filename of filenames) {
      const quoted = filename.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      const data = crlf(
        `--1234\nContent-Disposition: form-data; name="files"; filename="${quoted}"\n\nFoo\n--1234--`,
      );
      const [args, files] = formDataArgs();
      parseMultipartFormData('1234', data, args, files);
      expect(files.files![0]!.filename, filename).toBe(filename);
      expect(files.files![0]!.body.toString()).toBe('Foo');
    }
  });

  it('prefers the RFC 5987 filename* over filename (test_non_ascii_filename)', () => {
    const data = crlf(
      '--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"; filename*=UTF-8\'\'%C3%A1b.txt\n\nFoo\n--1234--',
    );
    const [args, files] = formDataArgs();
    parseMultipartFormData('1234', data, args, files);
    expect(files.files![0]!.filename).toBe('áb.txt');
    expect(files.files![0]!.body.toString()).toBe('Foo');
  });

  it('accepts a quoted boundary (test_boundary_starts_and_ends_with_quotes)', () => {
    const data = crlf(
      '--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"\n\nFoo\n--1234--',
    );
    const [args, files] = formDataArgs();
    parseMultipartFormData('"1234"', data, args, files);
    expect(files.files![0]!.filename).toBe('ab.txt');
  });

  it('rejects a part without headers (test_missing_headers)', () => {
    const data = crlf('--1234\n\nFoo\n--1234--');
    const [args, files] = formDataArgs();
    expectInputError(() => parseMultipartFormData('1234', data, args, files), /missing headers/);
    expect(files).toEqual({});
  });

  it('rejects a disposition other than form-data (test_invalid_content_disposition)', () => {
    const data = crlf(
      '--1234\nContent-Disposition: invalid; name="files"; filename="ab.txt"\n\nFoo\n--1234--',
    );
    const [args, files] = formDataArgs();
    expectInputError(() => parseMultipartFormData('1234', data, args, files), /Invalid multipart/);
    expect(files).toEqual({});
  });

  it('rejects a value not followed by CRLF (test_line_does_not_end_with_correct_line_break)', () => {
    const data = crlf(
      '--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"\n\nFoo--1234--',
    );
    const [args, files] = formDataArgs();
    expectInputError(() => parseMultipartFormData('1234', data, args, files), /Invalid multipart/);
    expect(files).toEqual({});
  });

  it('rejects a part without a name (test_content_disposition_header_without_name_parameter)', () => {
    const data = crlf('--1234\nContent-Disposition: form-data; filename="ab.txt"\n\nFoo\n--1234--');
    const [args, files] = formDataArgs();
    expectInputError(() => parseMultipartFormData('1234', data, args, files), /missing name/);
    expect(files).toEqual({});
  });

  it('ignores data after the final boundary (test_data_after_final_boundary)', () => {
    const data = crlf(
      '--1234\nContent-Disposition: form-data; name="files"; filename="ab.txt"\n\nFoo\n--1234--\n',
    );
    const [args, files] = formDataArgs();
    parseMultipartFormData('1234', data, args, files);
    expect(files.files![0]!.filename).toBe('ab.txt');
    expect(files.files![0]!.body.toString()).toBe('Foo');
  });

  it('parses disposition parameters in linear time (test_disposition_param_linear_performance)', () => {
    const time = (n: number) => {
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        const start = performance.now();
        const message = Buffer.from(
          `--1234\r\nContent-Disposition: form-data; x="${';'.repeat(n)}"; name="files"; filename="a.txt"\r\n\r\nFoo\r\n--1234--\r\n`,
        );
        const [args, files] = formDataArgs();
        parseMultipartFormData('1234', message, args, files);
        expect(files.files![0]!.filename).toBe('a.txt');
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const d1 = time(10_000);
    const d2 = time(100_000);
    expect(d2 / Math.max(d1, 0.05)).toBeLessThan(40);
  });
});

describe('parseBodyArguments', () => {
  it('parses a multipart form with a Latin-1 header and UTF-8 parts (httpserver test_multipart_form)', () => {
    // Tornado's test body lacks the first boundary; the split-based parser still reads the
    // part before it.
    const body = Buffer.concat(
      [
        'Content-Disposition: form-data; name=argument',
        '',
        'á',
        '--1234567890',
        'Content-Disposition: form-data; name="files"; filename="ó"',
        '',
        'ú',
        '--1234567890--',
        '',
      ].map((line, i, all) => Buffer.from(i < all.length - 1 ? `${line}\r\n` : line, 'utf8')),
    );
    const headers = new HTTPHeaders({ 'Content-Type': 'multipart/form-data; boundary=1234567890' });
    const [args, files] = formDataArgs();
    parseBodyArguments(headers.get('Content-Type')!, body, args, files, headers);
    expect(args.argument!.map((v) => v.toString('utf8'))).toEqual(['á']);
    expect(files.files![0]!.filename).toBe('ó');
    expect(files.files![0]!.body.toString('utf8')).toBe('ú');
  });

  it('keeps empty form values (httpserver test_empty_post_parameters)', () => {
    const [args, files] = formDataArgs();
    parseBodyArguments('application/x-www-form-urlencoded', Buffer.from('foo=&bar='), args, files);
    expect(args).toEqual({ foo: [Buffer.alloc(0)], bar: [Buffer.alloc(0)] });
  });

  it('keeps form values as bytes in any charset (httpserver test_post_encodings)', () => {
    const gbk = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]);
    for (const body of [
      Buffer.concat([Buffer.from('data='), gbk]),
      Buffer.from('data=%D5%C5%C8%FD'),
    ]) {
      const [args, files] = formDataArgs();
      parseBodyArguments('application/x-www-form-urlencoded; charset=gbk', body, args, files);
      expect(args.data).toEqual([gbk]);
    }
  });

  it('adds to arguments already present, after them', () => {
    const [args, files] = formDataArgs();
    args.a = [Buffer.from('query')];
    parseBodyArguments('application/x-www-form-urlencoded', Buffer.from('a=body&b=2'), args, files);
    expect(args.a!.map(String)).toEqual(['query', 'body']);
  });

  it('ignores other content types', () => {
    const [args, files] = formDataArgs();
    parseBodyArguments('application/json', Buffer.from('{"a":1}'), args, files);
    expect(args).toEqual({});
    expect(files).toEqual({});
  });

  it('rejects a form body that is still Content-Encoded', () => {
    const headers = new HTTPHeaders({ 'Content-Encoding': 'gzip' });
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=1']) {
      const [args, files] = formDataArgs();
      expectInputError(
        () => parseBodyArguments(type, Buffer.from('a=1'), args, files, headers),
        /Unsupported Content-Encoding: gzip/,
      );
    }
  });

  it('rejects multipart without a boundary, or without a final boundary', () => {
    const [args, files] = formDataArgs();
    expectInputError(
      () => parseBodyArguments('multipart/form-data', Buffer.from('x'), args, files),
      /boundary not found/,
    );
    expectInputError(
      () =>
        parseBodyArguments(
          'multipart/form-data; boundary=zz',
          Buffer.from('--zz\r\n'),
          args,
          files,
        ),
      /Invalid multipart\/form-data: .*no final boundary/,
    );
  });

  it('ends every malformed multipart body in HTTPInputError or a result, never another throw', () => {
    const valid = crlf(
      '--B\nContent-Disposition: form-data; name="a"\n\n1\n--B\nContent-Disposition: form-data; name="f"; filename="x.txt"\nContent-Type: text/plain\n\nabc\n--B--\n',
    );
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('flip', 'cut', 'insert'),
      byte: fc.constantFrom(0x00, 0x0d, 0x0a, 0x22, 0x3b, 0x2d, 0x80, 0xff, 0x3d),
    });
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 6 }), (mutations) => {
        let body = Buffer.from(valid);
        for (const m of mutations) {
          const at = m.at % (body.length + 1);
          if (m.kind === 'flip' && at < body.length) body[at] = m.byte;
          else if (m.kind === 'cut') body = body.subarray(0, at);
          else
            body = Buffer.concat([body.subarray(0, at), Buffer.from([m.byte]), body.subarray(at)]);
        }
        const [args, files] = formDataArgs();
        try {
          parseBodyArguments('multipart/form-data; boundary=B', body, args, files);
        } catch (error) {
          expect(error).toBeInstanceOf(HTTPInputError);
          expect(args).toEqual({});
          expect(files).toEqual({});
        }
      }),
    );
  });
});

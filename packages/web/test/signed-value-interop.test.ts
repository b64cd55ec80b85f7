/**
 * Byte compatibility with Python Tornado 6.2 (Debian's python3-tornado): values signed on one
 * side decode on the other, and for crafted or mutated input both decoders give the same answer.
 * Each test sends one batch of cases to a single `/usr/bin/python3` process as JSON on stdin.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type CookieSecret,
  createSignedValue,
  decodeSignedValue,
  getSignatureKeyVersion,
} from '../src/security/signed-value.js';
import { decodeXsrfToken } from '../src/security/xsrf-token.js';

const PYTHON = '/usr/bin/python3';

function tornadoInstalled(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import tornado.web'], { cwd: tmpdir(), stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const hasTornado = tornadoInstalled();

/** Runs each case through Tornado; bytes travel as hex, errors come back as `{ error }`. */
const SCRIPT = `
import json, sys, binascii
from tornado.web import create_signed_value, decode_signed_value, get_signature_key_version, RequestHandler

def secret(s):
    return {int(k): v for k, v in s.items()} if isinstance(s, dict) else s

def run(case):
    op = case["op"]
    if op == "create":
        out = create_signed_value(secret(case["secret"]), case["name"], binascii.a2b_hex(case["value"]),
                                  version=case["version"], clock=lambda: case["clock"], key_version=case.get("keyVersion"))
        return out.hex()
    if op == "decode":
        out = decode_signed_value(secret(case["secret"]), case["name"], binascii.a2b_hex(case["value"]),
                                  max_age_days=case.get("maxAgeDays", 31), clock=lambda: case["clock"],
                                  min_version=case.get("minVersion"))
        return None if out is None else out.hex()
    if op == "keyVersion":
        return get_signature_key_version(binascii.a2b_hex(case["value"]))
    if op == "xsrf":
        version, token, timestamp = RequestHandler._decode_xsrf_token(None, case["value"])
        return None if token is None else {"version": version, "token": token.hex(), "timestamp": timestamp}
    raise ValueError(op)

results = []
for case in json.load(sys.stdin):
    try:
        results.append({"ok": run(case)})
    except Exception as e:
        results.append({"error": type(e).__name__})
print(json.dumps(results))
`;

type Outcome = { ok: unknown } | { error: string };

function python(cases: object[]): Outcome[] {
  const out = execFileSync(PYTHON, ['-c', SCRIPT], {
    cwd: tmpdir(),
    input: JSON.stringify(cases),
    // The pure-Python websocket mask is Tornado's reference; its C speedup reads past short masks.
    env: { ...process.env, TORNADO_EXTENSION: '0' },
    stdio: ['pipe', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as Outcome[];
}

const hex = (b: Uint8Array | string) => Buffer.from(b).toString('hex');
const SECRET = 'interop-secret';
const KEYS = { 0: 'key zero', 1: 'key one', 12: 'kéy twelve' };
const NOW = 1500000000;
const present = () => NOW;
const SEED = { seed: 20260706, numRuns: 150 };

const arbAsciiName = fc.string({ unit: fc.constantFrom(...'abcXYZ_-019|:= '), maxLength: 12 });
const arbValue = fc.uint8Array({ maxLength: 48 });

const skipNote = hasTornado ? '' : ' (skipped: python3-tornado not installed)';

describe.skipIf(!hasTornado)(`interop with Python Tornado${skipNote}`, () => {
  test('values Python signs (v1, v2, key versions) decode here to the same bytes', () => {
    const cases = fc.sample(
      fc.record({
        name: arbAsciiName,
        value: arbValue,
        version: fc.constantFrom(1, 2),
        clock: fc.double({ min: 1e9, max: 2e9, noNaN: true }),
        keyVersion: fc.constantFrom(undefined, 0, 1, 12),
      }),
      SEED,
    );
    const secrets = cases.map(
      (c): CookieSecret => (c.version === 2 && c.keyVersion !== undefined ? KEYS : SECRET),
    );
    const made = python(
      cases.map((c, i) => ({
        op: 'create',
        secret: secrets[i],
        name: c.name,
        value: hex(c.value),
        version: c.version,
        clock: c.clock,
        keyVersion: c.keyVersion ?? null,
      })),
    );
    cases.forEach((c, i) => {
      const signed = Buffer.from((made[i] as { ok: string }).ok, 'hex').toString('utf8');
      const opts = c.keyVersion === undefined ? {} : { keyVersion: c.keyVersion };
      const mine = createSignedValue(secrets[i]!, c.name, c.value, {
        version: c.version as 1 | 2,
        clock: () => c.clock,
        ...opts,
      });
      expect(mine).toBe(signed);
      expect(decodeSignedValue(secrets[i]!, c.name, signed, { clock: () => c.clock })).toEqual(
        Buffer.from(c.value),
      );
    });
  });

  test('values signed here (any UTF-8 name, v1, v2, key versions) decode in Python', () => {
    const cases = fc.sample(
      fc.record({
        name: fc.string({ unit: 'grapheme', maxLength: 12 }),
        value: arbValue,
        version: fc.constantFrom(1 as const, 2 as const),
        keyVersion: fc.constantFrom(undefined, 0, 1, 12),
      }),
      SEED,
    );
    const rows = cases.map((c) => {
      const secret: CookieSecret = c.version === 2 && c.keyVersion !== undefined ? KEYS : SECRET;
      const opts = c.keyVersion === undefined ? {} : { keyVersion: c.keyVersion };
      const signed = createSignedValue(secret, c.name, c.value, {
        version: c.version,
        clock: present,
        ...opts,
      });
      return { secret, name: c.name, signed, value: c.value };
    });
    const decoded = python(
      rows.map((r) => ({
        op: 'decode',
        secret: r.secret,
        name: r.name,
        value: hex(r.signed),
        clock: NOW,
      })),
    );
    const keyVersions = python(rows.map((r) => ({ op: 'keyVersion', value: hex(r.signed) })));
    rows.forEach((r, i) => {
      expect(decoded[i]).toEqual({ ok: hex(r.value) });
      expect(keyVersions[i]).toEqual({ ok: getSignatureKeyVersion(r.signed) });
    });
  });

  test('for crafted, validly signed v2 fields, both decoders agree on every field quirk', () => {
    // Length prefixes that Python's int() reads as the true length, or as a wrong one.
    const lengthText = (n: number) =>
      fc.oneof(
        { arbitrary: fc.constantFrom(String(n), ` ${n}`, `+${n}`, `0${n}`, `${n}\n`), weight: 12 },
        { arbitrary: fc.constantFrom(String(n + 1), String(-1), '_1', 'x'), weight: 1 },
      );
    const soup = (chars: string) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 14 });
    const arbCase = fc
      .record({
        // A key version's spelling, and the key Python's int() picks with it (or none).
        keyVersion: fc.constantFrom<[string, string]>(
          ['0', KEYS[0]],
          ['1', KEYS[1]],
          ['12', KEYS[12]],
          [' 1', KEYS[1]],
          ['+1', KEYS[1]],
          ['01', KEYS[1]],
          ['1_2', KEYS[12]],
          ['12\n', KEYS[12]],
          ['-0', KEYS[0]],
          ['7', 'none'],
          ['x', 'none'],
          ['', 'none'],
          ['1__2', 'none'],
        ),
        timestamp: fc.constantFrom(
          '1500000000',
          ' 1500000000',
          '1_500_000_000',
          '0001500000000',
          '-5',
          '15e8',
          '1400000000',
          '1500000000\t',
          '',
        ),
        name: fc.constantFrom('n', 'n|a', 'n:1|', '\u00e9', ''),
        value: fc.oneof(
          {
            arbitrary: fc.constantFrom('YQ==', 'YW Jj', 'YQ=a=', '=YQ==', 'YWJj=', 'Y-_Q', ''),
            weight: 3,
          },
          { arbitrary: soup('YQWJjd=+/ -_|!'), weight: 1 },
        ),
        otherName: fc.oneof(
          { arbitrary: fc.constant(null), weight: 3 },
          { arbitrary: fc.constantFrom('n', 'na', '|'), weight: 1 },
        ),
        useKeys: fc.boolean(),
      })
      .chain((c) =>
        fc
          .tuple(
            lengthText(c.keyVersion[0].length),
            lengthText(c.timestamp.length),
            lengthText(Buffer.byteLength(c.name)),
            lengthText(Buffer.byteLength(c.value)),
          )
          .map((lengths) => ({ ...c, lengths })),
      );
    const rows = fc.sample(arbCase, { seed: 7, numRuns: 500 }).map((c) => {
      const secret: CookieSecret = c.useKeys ? KEYS : SECRET;
      const [keyVersionText, versionKey] = c.keyVersion;
      const fields = [keyVersionText, c.timestamp, c.name, c.value];
      const prefix = `2|${fields.map((f, i) => `${c.lengths[i]}:${f}|`).join('')}`;
      const key = c.useKeys ? versionKey : SECRET;
      const signed = Buffer.from(prefix + createHmac('sha256', key).update(prefix).digest('hex'));
      return { secret, name: c.otherName ?? c.name, signed };
    });
    expectSameDecoding(rows);
  });

  test('for crafted, validly signed v1 parts, both decoders agree (timestamps, base64 leniency)', () => {
    const soup = (chars: string, max: number) =>
      fc.string({ unit: fc.constantFrom(...chars), maxLength: max });
    const rows = fc
      .sample(
        fc.record({
          payload: soup('YQWJjdAB019=+/ -_\n', 16),
          timestamp: fc.oneof(
            fc.constantFrom(
              '1500000000',
              '01500000000',
              '1500000000 ',
              '+1500000000',
              '1_5',
              '1502678400',
              '1502678401',
              '1499654400',
              '1499654399',
              '-3',
              'abc',
            ),
            soup('0123456789 _', 12),
          ),
          name: fc.constantFrom('n', 'session'),
        }),
        { seed: 11, numRuns: 300 },
      )
      .map((c) => {
        const sig = createHmac('sha1', SECRET)
          .update(c.name)
          .update(c.payload)
          .update(c.timestamp)
          .digest('hex');
        return {
          secret: SECRET as CookieSecret,
          name: c.name,
          signed: Buffer.from(`${c.payload}|${c.timestamp}|${sig}`),
        };
      });
    expectSameDecoding(rows, 4);
  });

  test('for mutated Python-made values, both decoders agree', () => {
    const base = [
      createSignedValue(SECRET, 'n', 'some value', { clock: present }),
      createSignedValue(SECRET, 'n', 'some value', { version: 1, clock: present }),
      createSignedValue(KEYS, 'n', 'v', { clock: present, keyVersion: 12 }),
    ];
    const rows = fc
      .sample(
        fc.record({
          which: fc.nat({ max: base.length - 1 }),
          at: fc.nat(),
          insert: fc.constantFrom('', '|', ':', '0', ' ', '\n', 'A', '='),
          cut: fc.nat({ max: 2 }),
        }),
        { seed: 5, numRuns: 300 },
      )
      .map((c) => {
        const text = base[c.which]!;
        const i = c.at % (text.length + 1);
        const mutated = text.slice(0, i) + c.insert + text.slice(i + c.cut);
        return {
          secret: (c.which === 2 ? KEYS : SECRET) as CookieSecret,
          name: 'n',
          signed: Buffer.from(mutated),
        };
      });
    expectSameDecoding(rows);
  });

  test('XSRF: tokens decode to the same version, bytes and timestamp as in Python', () => {
    const pieces = fc.constantFrom(
      '2',
      '3',
      '1',
      '|',
      '0',
      'a',
      'F',
      'g',
      ' ',
      '\n',
      '_',
      '-',
      '\u0661',
      'é',
      '01020304',
    );
    const values = [
      ...fc.sample(
        fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
        { seed: 3, numRuns: 300 },
      ),
      ...fc.sample(
        fc
          .tuple(
            fc.uint8Array({ maxLength: 6 }),
            fc.uint8Array({ maxLength: 20 }),
            fc.constantFrom('1', ' 7 ', '1_0', '-2', '\u0661\u0662', 'x', ''),
          )
          .map(([mask, token, ts]) => `2|${hex(mask)}|${hex(token)}|${ts}`),
        { seed: 4, numRuns: 300 },
      ),
      '',
      'deadbeef',
      'xoxo',
      '3|',
    ];
    const theirs = python(values.map((value) => ({ op: 'xsrf', value })));
    values.forEach((value, i) => {
      const mine = decodeXsrfToken(value);
      const expected = (
        theirs[i] as { ok: { version: number; token: string; timestamp: number } | null }
      ).ok;
      if (expected === null) {
        expect(mine, value).toBeNull();
      } else {
        expect(mine, value).not.toBeNull();
        expect({ version: mine!.version, token: mine!.token.toString('hex') }, value).toEqual({
          version: expected.version,
          token: expected.token,
        });
        if (expected.version === 2) expect(mine!.timestamp, value).toBe(expected.timestamp);
      }
    });
  });
});

/**
 * Decodes every row here and in Python. Where Python raises (it does for some validly signed but
 * unparseable fields), we must give null; otherwise the results must be equal.
 */
function expectSameDecoding(
  rows: { secret: CookieSecret; name: string; signed: Buffer }[],
  maxAgeDays = 31,
): void {
  const theirs = python(
    rows.map((r) => ({
      op: 'decode',
      secret: r.secret,
      name: r.name,
      value: hex(r.signed),
      clock: NOW,
      maxAgeDays,
    })),
  );
  let accepted = 0;
  rows.forEach((r, i) => {
    const mine = decodeSignedValue(r.secret, r.name, r.signed, { clock: present, maxAgeDays });
    const outcome = theirs[i]!;
    const expected = 'ok' in outcome ? outcome.ok : null;
    expect(mine === null ? null : hex(mine), r.signed.toString('latin1')).toBe(expected);
    if (mine !== null) accepted++;
  });
  // The crafted batches must reach the success path too, or they would prove little.
  expect(accepted).toBeGreaterThan(0);
}

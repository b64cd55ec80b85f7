import { describe, expect, it } from 'vitest';
import { parsePort, parseServerOptions } from '../src/index.js';

describe('parseServerOptions', () => {
  it('takes --port over PORT over the default, and --host over 127.0.0.1', () => {
    expect(parseServerOptions([], {}, 8888)).toEqual({ port: 8888, host: '127.0.0.1' });
    expect(parseServerOptions([], { PORT: '7000' }, 8888).port).toBe(7000);
    expect(parseServerOptions(['--port', '9000'], { PORT: '7000' }, 8888).port).toBe(9000);
    expect(parseServerOptions(['--host', '::1'], {}, 8888).host).toBe('::1');
  });

  it('refuses ports that are not whole numbers from 0 to 65535, and unknown options', () => {
    expect(() => parseServerOptions(['--port', 'x'], {}, 1)).toThrow(/whole number/);
    expect(() => parsePort('65536')).toThrow(RangeError);
    expect(() => parsePort('-1')).toThrow(RangeError);
    expect(parsePort('0')).toBe(0);
    expect(() => parseServerOptions(['--prot', '1'], {}, 1)).toThrow();
  });
});

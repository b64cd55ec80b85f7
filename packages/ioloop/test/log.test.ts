import type { Logger, LogLevel } from '@tronada/ioloop';
import { accessLog, appLog, enablePrettyLogging, genLog, NamedLogger } from '@tronada/ioloop';
import { afterEach, describe, expect, test, vi } from 'vitest';

/** A Logger that remembers its calls. */
function recordingLogger(): Logger & { lines: Array<[LogLevel, string, ...unknown[]]> } {
  const lines: Array<[LogLevel, string, ...unknown[]]> = [];
  return {
    lines,
    debug: (message, ...args) => lines.push(['debug', message, ...args]),
    info: (message, ...args) => lines.push(['info', message, ...args]),
    warn: (message, ...args) => lines.push(['warn', message, ...args]),
    error: (message, ...args) => lines.push(['error', message, ...args]),
  };
}

afterEach(() => {
  for (const log of [accessLog, appLog, genLog]) {
    log.setLogger(null);
    log.level = 'debug';
  }
});

describe('named loggers', () => {
  test('are named after Tornado’s access, application and general loggers', () => {
    expect([accessLog.name, appLog.name, genLog.name]).toEqual([
      'tronada.access',
      'tronada.application',
      'tronada.general',
    ]);
  });

  test('are silent until configured: no destination, and nothing reaches the console', () => {
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => undefined),
    );
    try {
      for (const log of [accessLog, appLog, genLog]) {
        expect(log.getLogger()).toBeNull();
        log.info('nobody listens');
        log.debug('nobody listens');
      }
      // A logger with neither destination nor handler is not even enabled.
      const fresh = new NamedLogger('test.fresh');
      expect(fresh.getLogger()).toBeNull();
      expect(fresh.isEnabledFor('error')).toBe(false);
      fresh.error('nobody listens', new Error('quiet'));
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  test('setLogger sends records, prefixed with the logger name, to any debug/info/warn/error logger', () => {
    const target = recordingLogger();
    const log = new NamedLogger('tronada.test');
    log.setLogger(target);
    expect(log.getLogger()).toBe(target);
    const error = new Error('boom');
    log.error('Exception in callback f', error);
    log.debug('details', 1, 2);
    expect(target.lines).toEqual([
      ['error', '[tronada.test] Exception in callback f', error],
      ['debug', '[tronada.test] details', 1, 2],
    ]);
    log.setLogger(null);
    log.error('silent again');
    expect(target.lines).toHaveLength(2);
  });

  test('records below the level are dropped before handlers and target', () => {
    const target = recordingLogger();
    const handled: string[] = [];
    const log = new NamedLogger('test.levels');
    log.setLogger(target);
    log.addHandler((record) => {
      handled.push(record.level);
      return false;
    });
    log.level = 'warn';
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(handled).toEqual(['warn', 'error']);
    expect(target.lines.map(([level]) => level)).toEqual(['warn', 'error']);
    expect(log.isEnabledFor('info')).toBe(false);
    expect(log.isEnabledFor('warn')).toBe(true);
  });

  test('handlers see each record first, newest first, and returning true consumes it', () => {
    const target = recordingLogger();
    const log = new NamedLogger('test.handlers');
    log.setLogger(target);
    const order: string[] = [];
    log.addHandler((record) => {
      order.push(`old:${record.message}`);
      return undefined;
    });
    const removeNew = log.addHandler((record) => {
      order.push(`new:${record.message}`);
      return record.message === 'swallow';
    });
    log.info('pass');
    log.info('swallow');
    expect(order).toEqual(['new:pass', 'old:pass', 'new:swallow']);
    expect(target.lines.map(([, message]) => message)).toEqual(['[test.handlers] pass']);
    removeNew();
    log.info('swallow');
    expect(target.lines).toHaveLength(2);
  });

  test('a handler receives the logger name, level, message and arguments', () => {
    const log = new NamedLogger('test.record');
    const seen: unknown[] = [];
    log.addHandler((record) => {
      seen.push(record);
      return true;
    });
    expect(log.isEnabledFor('debug')).toBe(true);
    log.warn('careful', { id: 1 });
    expect(seen).toEqual([
      { logger: 'test.record', level: 'warn', message: 'careful', args: [{ id: 1 }] },
    ]);
  });
});

describe('enablePrettyLogging', () => {
  test('turns on all three loggers at info and above, to the logger given', () => {
    const target = recordingLogger();
    enablePrettyLogging({ logger: target });
    for (const log of [accessLog, appLog, genLog]) {
      expect(log.getLogger()).toBe(target);
      expect(log.level).toBe('info');
    }
    accessLog.info('200 GET /');
    appLog.info('application note');
    genLog.debug('hidden at info');
    genLog.info('general note');
    expect(target.lines.map(([level, message]) => `${level} ${message}`)).toEqual([
      'info [tronada.access] 200 GET /',
      'info [tronada.application] application note',
      'info [tronada.general] general note',
    ]);
  });

  test('takes a level', () => {
    const target = recordingLogger();
    enablePrettyLogging({ logger: target, level: 'debug' });
    genLog.debug('shown at debug');
    expect(target.lines).toEqual([['debug', '[tronada.general] shown at debug']]);
  });

  test('defaults to the console', () => {
    const spy = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      enablePrettyLogging();
      accessLog.info('to the console');
      expect(spy).toHaveBeenCalledWith('[tronada.access] to the console');
    } finally {
      spy.mockRestore();
    }
  });
});

/**
 * Per-test guards for every workspace (see `installTestGuards` in @tronada/testing): a test fails
 * when it leaves an unhandled rejection or when Tronada's loggers print a warning or error that
 * no expectLog() (or a consuming `logger.addHandler`) claimed.
 */
import { installTestGuards } from '@tronada/testing';
import { afterEach, beforeEach } from 'vitest';

installTestGuards({ beforeEach, afterEach });

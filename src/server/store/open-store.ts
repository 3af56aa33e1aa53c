import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';
import { ConfigError } from '../config-error.js';

/** Opens the store named by STAGING_STORE: `sqlite:<path>`, `memory`, or `redis://…` (several instances). */
export function openStore(spec: string): Store {
  if (spec === 'memory') return new MemoryStore();
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (!path) throw new ConfigError('STAGING_STORE=sqlite: needs a path, e.g. sqlite:.staging/staging.db');
    return new SqliteStore(path);
  }
  if (spec.startsWith('redis://') || spec.startsWith('rediss://')) {
    return new RedisStore(spec);
  }
  throw new ConfigError(`STAGING_STORE="${spec}" is not understood; use sqlite:<path>, memory, or redis://host:port.`);
}

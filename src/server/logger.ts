export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * One JSON line per event on stderr. Every string field passes through `redact`, which
 * removes the configured secrets and anything shaped like a bearer token, so a provider's
 * error text or a stray header can never print a key.
 */
export function jsonLogger(secrets: string[] = []): Logger {
  const known = secrets.filter((s) => s.length >= 8);
  const redact = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    let s = v;
    for (const k of known) s = s.split(k).join('[redacted]');
    return s.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]').replace(/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted-jwt]');
  };
  const line = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => {
    const out: Record<string, unknown> = { time: new Date().toISOString(), level, msg: redact(msg) };
    for (const [k, v] of Object.entries(fields)) out[k] = redact(v);
    process.stderr.write(JSON.stringify(out) + '\n');
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

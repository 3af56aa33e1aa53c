import type { ProviderHttp } from '../remote/provider-http.js';
import { stalledError } from '../remote/tracking.js';
import { ProviderJobError, type ExecutionContext } from '../types.js';
import { asExecution, type LaminaExecution } from './api-types.js';
import { streamingFetch } from './sse.js';

export interface TrackOptions {
  runId: string;
  ctx: ExecutionContext;
  deadlineAt: number;
  /** The deadline's length, for the stall message. */
  deadlineMs: number;
  /** The docs: poll every 3–5 s when not streaming. */
  pollMs: number;
  /** Silence (no event, no ping) after which a stream counts as dropped; the docs ping every ~15 s. */
  streamIdleMs: number;
  /** Dropped streams after which the job is tracked by polling only. */
  maxStreamDrops: number;
  redact(text: string): string;
}

/**
 * Follows a run to its end: GET /v1/runs/{runId}/stream first (SSE progress/complete/error/timeout/ping),
 * reconnecting when the stream drops and after its documented 10-minute `timeout`, and falling back to
 * polling GET /v1/runs/{runId} (woken early by a verified webhook) once the stream has dropped too often.
 */
export class RunTracker {
  constructor(
    private readonly http: ProviderHttp,
    private readonly streamHttp: (onEvent: Parameters<typeof streamingFetch>[0], idleMs: number, timeoutMs: number) => ProviderHttp,
  ) {}

  async track(o: TrackOptions): Promise<LaminaExecution> {
    const { ctx, runId } = o;
    let drops = 0;
    for (;;) {
      ctx.signal.throwIfAborted();
      const left = o.deadlineAt - Date.now();
      if (left <= 0) throw stalledError('Lamina', o.deadlineMs);
      if (drops < o.maxStreamDrops) {
        const ended = await this.streamOnce(o, left);
        if (ended.final) return finish(ended.final, o);
        if (!ended.serverTimeout) {
          drops++;
          // A short pause so a stream that drops at once does not turn into a tight reconnect loop.
          await ctx.webhook(runId, Math.min(o.pollMs, 1000, left));
        }
        continue;
      }
      const res = await this.http.request({ path: `runs/${encodeURIComponent(runId)}`, idempotent: true, signal: ctx.signal });
      const exec = asExecution(res.json);
      if (!exec) throw new ProviderJobError('provider_error', 'Lamina answered the status request with something unreadable.', true);
      report(exec, ctx);
      if (isTerminal(exec)) return finish(exec, o);
      await ctx.webhook(runId, Math.min(o.pollMs, Math.max(0, o.deadlineAt - Date.now())));
    }
  }

  private async streamOnce(o: TrackOptions, left: number): Promise<{ final?: LaminaExecution; serverTimeout?: boolean }> {
    const out: { final?: LaminaExecution; serverTimeout?: boolean } = {};
    const onEvent = (e: { event: string; data: string }): boolean => {
      if (e.event === 'ping') return false;
      if (e.event === 'timeout') return (out.serverTimeout = true);
      let exec: LaminaExecution | null;
      try {
        exec = asExecution(JSON.parse(e.data));
      } catch {
        exec = null;
      }
      if (!exec) return e.event === 'error'; // an error without a run status: reconnect (or poll) to learn more
      report(exec, o.ctx);
      if (isTerminal(exec)) {
        out.final = exec;
        return true;
      }
      return false;
    };
    try {
      await this.streamHttp(onEvent, o.streamIdleMs, left).request({
        path: `runs/${encodeURIComponent(o.runId)}/stream`,
        headers: { Accept: 'text/event-stream' },
        signal: o.ctx.signal,
      });
    } catch (err) {
      if (o.ctx.signal.aborted) throw o.ctx.signal.reason;
      // A refused key or an unknown run will not get better by polling instead; a flaky connection might.
      if (err instanceof ProviderJobError && !err.retryable) throw err;
    }
    o.ctx.signal.throwIfAborted();
    return out;
  }
}

function isTerminal(exec: LaminaExecution): boolean {
  return exec.status === 'completed' || exec.status === 'failed';
}

function finish(exec: LaminaExecution, o: TrackOptions): LaminaExecution {
  if (exec.status === 'completed') return exec;
  // The docs give failed runs an errorMessage but no retryable flag; a fresh run (with a freshly
  // signed input URL) is what fixes the usual causes, so the job is offered for retry.
  const reason = o.redact(exec.errorMessage || 'no reason given').slice(0, 300);
  throw new ProviderJobError('processing_failed', `Lamina could not finish this image: ${reason}`, true);
}

/** queued → 10 %, running → 20–80 % by finished outputs; downloads take the rest. */
function report(exec: LaminaExecution, ctx: ExecutionContext): void {
  if (exec.status === 'queued') ctx.progress('processing', 0.1);
  else if (exec.status === 'running') {
    const outs = exec.outputs ?? [];
    const done = outs.filter((x) => x.status === 'completed').length;
    ctx.progress('processing', 0.2 + 0.6 * (outs.length ? done / outs.length : 0));
  }
}

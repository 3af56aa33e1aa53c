/**
 * Reading an open `text/event-stream` answer into checked values: loaded with the first stream
 * (with the SSE parser), so that the first screen of the one-tag script carries neither.
 */
import type * as z from 'zod/mini';
import { check, parseJson } from './check.js';
import type { Deadline } from './deadline.js';
import { StagingNetworkError, type StagingError } from './errors.js';
import type { ResponseSchemas } from './load-schemas.js';
import { SseParser, type SseEvent } from './sse.js';

/** Turns a frame into a value, checked with `at(schema)`, or skips it (undefined). */
export type EventPick<T> = (e: SseEvent, schemas: ResponseSchemas, at: <S>(schema: z.ZodMiniType<S>) => S) => T | undefined;

export interface EventStream<T> {
  body: ReadableStream<Uint8Array>;
  /** The attempt's deadline: aborts with the caller's signal; re-armed with `idle` on every chunk. */
  deadline: Deadline;
  idle: number;
  /** Names the stream in errors ("job", "batch"). */
  noun: string;
  status: number;
  requestId: string | undefined;
  schemas: ResponseSchemas;
  pick: EventPick<T>;
}

/**
 * Yields each picked value as its frame completes. Ends when the server ends the stream; throws
 * the deadline's reason (an abort, an idle timeout), a StagingNetworkError when the stream breaks,
 * or a StagingResponseError for a frame that breaks the contract (after the values before it).
 * Leaving early cancels the stream.
 */
export async function* readEvents<T>({ body, deadline, idle, noun, status, requestId, schemas, pick }: EventStream<T>): AsyncGenerator<T, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const values: T[] = [];
  let bad: StagingError | undefined;
  const parser = new SseParser((e) => {
    if (bad) return;
    try {
      const value = pick(e, schemas, (schema) => check(schema, parseJson(e.data, status, requestId), status, requestId));
      if (value !== undefined) values.push(value);
    } catch (err) {
      bad = err as StagingError;
    }
  });
  // A stream a fake or a polyfilled fetch hands us may ignore the signal: cancel it ourselves.
  const stop = () => void reader.cancel().catch(() => {});
  deadline.signal.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw deadline.abortReason() ?? new StagingNetworkError(`The ${noun} event stream broke off.`, e);
      }
      const aborted = deadline.abortReason();
      if (aborted) throw aborted;
      if (chunk.done) {
        parser.push(decoder.decode());
        parser.end();
      } else {
        deadline.arm(idle);
        parser.push(decoder.decode(chunk.value, { stream: true }));
      }
      while (values.length) yield values.shift()!;
      if (bad) throw bad;
      if (chunk.done) return;
    }
  } finally {
    deadline.signal.removeEventListener('abort', stop);
    deadline.clear();
    stop();
  }
}

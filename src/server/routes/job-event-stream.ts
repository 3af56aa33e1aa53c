/**
 * The body of one job's event stream (`text/event-stream`): a ReadableStream that the server
 * adapter reads straight into the socket.
 *
 * A change reaches a thousand listeners as a thousand enqueues of the same bytes: the frame is
 * built and encoded once per change (see `frameOf`), and each listener's enqueue hands it to the
 * adapter's pending read. Hono's `streamSSE` put a TransformStream, a second ReadableStream and
 * a per-listener encode between the change and the socket (most of the fan-out's time, profiled
 * on 1,000 listeners). A listener whose socket is full gets only the newest change once it
 * drains (each event is the whole job).
 */
export interface JobEventStream {
  readable: ReadableStream<Uint8Array>;
  /** Queues a change (newest wins while the listener is behind); a terminal one ends the stream after it. */
  push(payload: string, terminal: boolean): void;
}

export interface JobEventStreamOptions {
  /** The job as it is now: the first frame, with the client's reconnection delay. */
  first: string;
  /** The job had already ended: the stream ends after the first frame. */
  firstTerminal: boolean;
  retryMs: number;
  heartbeatMs: number;
  /** Called once when the stream ends, whichever way (terminal change, client gone). */
  onClose(): void;
}

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': heartbeat\n\n');

/** `event: job` with `data` (one line per line of the payload), and `retry` when given. */
function encodeFrame(payload: string, retryMs?: number): Uint8Array {
  const data = payload
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
  return encoder.encode(`event: job\n${data}\n${retryMs === undefined ? '' : `retry: ${retryMs}\n`}\n`);
}

// Every listener of a job is handed the same payload string by the fan-out: the last one's bytes
// are kept, so that a change is encoded once, not once per listener.
let lastPayload: string | null = null;
let lastFrame: Uint8Array = new Uint8Array(0);

function frameOf(payload: string): Uint8Array {
  if (payload !== lastPayload) {
    lastFrame = encodeFrame(payload);
    lastPayload = payload;
  }
  return lastFrame;
}

export function jobEventStream(o: JobEventStreamOptions): JobEventStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  /** The newest change not yet handed to the adapter (the listener was behind). */
  let pending: { payload: string; terminal: boolean } | null = null;
  let ended = false;
  let heartbeat: ReturnType<typeof setInterval> | null = null;

  const end = () => {
    if (ended) return;
    ended = true;
    if (heartbeat) clearInterval(heartbeat);
    pending = null;
    o.onClose();
  };
  const send = (payload: string, terminal: boolean) => {
    controller.enqueue(frameOf(payload));
    if (terminal) {
      controller.close();
      end();
    }
  };
  const readable = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(encodeFrame(o.first, o.retryMs));
      if (o.firstTerminal) {
        c.close();
        end();
        return;
      }
      heartbeat = setInterval(() => {
        // Only a stream with nothing waiting needs keeping alive.
        if (!ended && !pending && (controller.desiredSize ?? 0) > 0) controller.enqueue(HEARTBEAT);
      }, o.heartbeatMs);
    },
    // The adapter wants more: the change that waited while the listener was behind.
    pull() {
      if (ended || !pending) return;
      const next = pending;
      pending = null;
      send(next.payload, next.terminal);
    },
    cancel() {
      end();
    },
  });
  return {
    readable,
    push(payload, terminal) {
      if (ended || pending?.terminal) return;
      if ((controller.desiredSize ?? 0) > 0 && !pending) send(payload, terminal);
      else pending = { payload, terminal };
    },
  };
}

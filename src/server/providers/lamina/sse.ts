export interface SseEvent {
  event: string;
  data: string;
}

/**
 * A `fetch` for ProviderHttp that reads a `text/event-stream` answer as it arrives and hands every
 * event to `onEvent`, because ProviderHttp itself buffers a whole body. Reading stops when
 * `onEvent` returns true, when the server ends the stream, or when nothing (not even the ~15 s
 * `ping`) arrived for `idleMs`; the answer ProviderHttp then sees is an empty 200. A cut connection
 * ends the read the same way: the caller knows from the events whether the run finished.
 */
export function streamingFetch(onEvent: (e: SseEvent) => boolean, idleMs: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const idle = new AbortController();
    const signal = init?.signal ? AbortSignal.any([init.signal, idle.signal]) : idle.signal;
    let timer = setTimeout(() => idle.abort(new Error('event stream idle')), idleMs);
    try {
      const res = await base(input, { ...init, signal });
      if (!res.ok || !res.body || !/text\/event-stream/i.test(res.headers.get('content-type') ?? '')) return res;
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          clearTimeout(timer);
          timer = setTimeout(() => idle.abort(new Error('event stream idle')), idleMs);
          buf = (buf + decoder.decode(value, { stream: true })).replace(/\r\n?/g, '\n');
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const ev = parseFrame(buf.slice(0, i));
            buf = buf.slice(i + 2);
            if (ev && onEvent(ev)) {
              await reader.cancel().catch(() => undefined);
              return new Response(null, { status: res.status, headers: { 'content-type': 'text/event-stream' } });
            }
          }
        }
      } catch {
        // Cut mid-stream (idle, timeout, network): ends like a close; an abort of the job is rethrown by the caller.
        await reader.cancel().catch(() => undefined);
      }
      return new Response(null, { status: res.status, headers: { 'content-type': 'text/event-stream' } });
    } finally {
      clearTimeout(timer);
    }
  };
}

function parseFrame(frame: string): SseEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0 && event === 'message') return null;
  return { event, data: data.join('\n') };
}

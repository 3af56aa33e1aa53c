export interface SseEvent {
  /** `message` when the frame names none. */
  event: string;
  data: string;
  /** The last event id seen on the stream so far. */
  id: string;
}

/**
 * An incremental parser of `text/event-stream` following the HTML spec's rules: lines end
 * with CRLF, LF or CR (possibly split across chunks), `:` lines are comments (heartbeats),
 * `data` lines join with `\n`, one leading space after the colon is dropped, and a blank
 * line dispatches. Feed it decoded text; an unterminated last frame is dropped at the end,
 * as the spec says.
 */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id = '';

  constructor(
    private readonly onEvent: (e: SseEvent) => void,
    private readonly onComment?: (text: string) => void,
  ) {}

  push(chunk: string): void {
    this.#buffer += chunk;
    let start = 0;
    for (let i = 0; i < this.#buffer.length; i++) {
      const c = this.#buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait.
      if (c === '\r' && i === this.#buffer.length - 1) break;
      this.#line(this.#buffer.slice(start, i));
      if (c === '\r' && this.#buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.#buffer = this.#buffer.slice(start);
  }

  /** The stream ended: a pending CR still ends its line; a frame without its blank line is dropped. */
  end(): void {
    if (this.#buffer.endsWith('\r')) this.push('\n');
    this.#buffer = '';
    this.#data = [];
    this.#event = '';
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return this.onComment?.(line.slice(1));
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    // `retry` only tunes EventSource's own reconnection, which this client leaves to its caller.
  }

  #dispatch(): void {
    const e: SseEvent | undefined = this.#data.length ? { event: this.#event || 'message', data: this.#data.join('\n'), id: this.#id } : undefined;
    this.#event = '';
    this.#data = [];
    if (e) this.onEvent(e);
  }
}

import { expect } from '@open-wc/testing';
import { SseParser, type SseEvent } from '../../../src/client/index.js';

function parse(chunks: string[]): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const p = new SseParser(
    (e) => events.push(e),
    (c) => comments.push(c),
  );
  for (const c of chunks) p.push(c);
  p.end();
  return { events, comments };
}

describe('SseParser', () => {
  it('parses event, data and id fields and resets the type after each event', () => {
    const { events } = parse(['event: job\ndata: {"a":1}\nid: 7\n\ndata: plain\n\n']);
    expect(events).to.deep.equal([
      { event: 'job', data: '{"a":1}', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
  });

  it('joins multi-line data with \\n and drops only one leading space', () => {
    const { events } = parse(['data:first\ndata:  second\ndata\ndata: \n\n']);
    expect(events[0]!.data).to.equal('first\n second\n\n');
  });

  it('treats colon lines as comments (heartbeats) and dispatches nothing for them', () => {
    const { events, comments } = parse([': ping\n\n:\n\nevent: job\n: mid-frame\ndata: x\n\n']);
    expect(comments).to.deep.equal([' ping', '', ' mid-frame']);
    expect(events).to.deep.equal([{ event: 'job', data: 'x', id: '' }]);
  });

  it('accepts CRLF, CR and LF line ends, mixed', () => {
    const { events } = parse(['event: job\r\ndata: a\r\ndata: b\r\n\r\nevent: job\rdata: c\r\rdata: d\n\n']);
    expect(events.map((e) => e.data)).to.deep.equal(['a\nb', 'c', 'd']);
  });

  it('gives the same events however the stream is split, including inside a CRLF', () => {
    const stream = ': hi\r\nevent: job\r\ndata: {"x":\r\ndata: 1}\r\nid: 1\r\n\r\nevent: other\rdata: y\r\rdata: z\n\n';
    const whole = parse([stream]).events;
    expect(whole.map((e) => e.data)).to.deep.equal(['{"x":\n1}', 'y', 'z']);
    for (let i = 1; i < stream.length; i++) {
      for (let j = i; j < stream.length; j += 7) {
        expect(parse([stream.slice(0, i), stream.slice(i, j), stream.slice(j)]).events, `split at ${i}/${j}`).to.deep.equal(whole);
      }
    }
  });

  it('does not invent an empty line when a CRLF is split between chunks', () => {
    const { events } = parse(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
    expect(events).to.deep.equal([{ event: 'message', data: 'a\nb', id: '' }]);
  });

  it('drops an unterminated last frame and ignores unknown fields', () => {
    const { events } = parse(['foo: bar\ndata: done\n\ndata: half']);
    expect(events.map((e) => e.data)).to.deep.equal(['done']);
  });
});

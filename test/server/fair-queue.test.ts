import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../src/server/jobs/fair-queue.js';

describe('the fair queue', () => {
  it('keeps a job taken out of line until it is settled: started, it leaves; refused a slot, it is next again', () => {
    const q = new FairQueue(2);
    for (const jobId of ['a1', 'a2', 'a3']) q.push({ jobId, sessionId: 'ses_a', queuedAt: 0 });
    q.push({ jobId: 'b1', sessionId: 'ses_b', queuedAt: 0 });
    const running = new Map<string, number>();
    const take = () => q.take((s) => running.get(s) ?? 0)?.jobId ?? null;

    expect(take()).toBe('a1');
    // Taken: no place in line, and its followers move up; it still counts as queued.
    expect([q.position('a1'), q.position('a2'), q.position('a3')]).toEqual([null, 1, 2]);
    expect(q.has('a1')).toBe(true);
    expect(q.queuedOf('ses_a')).toEqual(['a2', 'a3']);
    running.set('ses_a', 1);
    // The other session's turn; a session's taken job is not taken twice.
    expect(take()).toBe('b1');
    running.set('ses_b', 1);
    expect(take()).toBe('a2');
    running.set('ses_a', 2);
    expect(take()).toBeNull();

    // a1 found no free slot (held on another instance): it is first in line again, a2 started.
    expect(q.settle('a1', false)).toBeNull();
    expect(q.settle('a2', true)).toMatchObject({ jobId: 'a2' });
    running.set('ses_a', 1);
    expect([q.position('a1'), q.position('a2'), q.position('a3')]).toEqual([1, null, 2]);
    expect(take()).toBe('a1');
    // A taken job is not expired under its taker; the others are.
    expect(q.expire(1).map((j) => j.jobId)).toEqual(['a3']);
    expect(q.remove('a1')?.jobId).toBe('a1');
    expect(q.settle('a1', true)).toBeNull();
    expect(q.size).toBe(1); // b1, taken
    expect(q.clear().map((j) => j.jobId)).toEqual(['b1']);
    expect(q.isTaken('b1')).toBe(false);
  });
});

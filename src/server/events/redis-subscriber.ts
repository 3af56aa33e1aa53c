import type { Redis } from 'ioredis';

/**
 * A connection of its own for SUBSCRIBE (a subscribed connection can run no other command),
 * made from `pub`'s settings, with its messages and errors routed.
 */
export function subscriberFor(pub: Redis, onMessage: (channel: string, message: string) => void, onError?: (err: unknown) => void): Redis {
  const sub = pub.duplicate();
  sub.on('error', (err) => onError?.(err));
  sub.on('message', onMessage);
  return sub;
}

/** Closes a subscriber politely (QUIT), or at once when that fails. */
export async function closeSubscriber(sub: Redis): Promise<void> {
  if (sub.status === 'end') return;
  try {
    await sub.quit();
  } catch {
    sub.disconnect();
  }
}

import type { ChildProcess } from 'node:child_process';

export function freePort(): Promise<number>;
export function spawnBff(
  env: Record<string, string>,
  opts?: { timeoutMs?: number; onLog?: (line: string) => void },
): Promise<{ child: ChildProcess; url: string; stop: () => Promise<void> }>;

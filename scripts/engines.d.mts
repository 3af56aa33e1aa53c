export const ENGINES: readonly string[];
export const FIREFOX_PATH: string;
export const WEBKIT_DRIVER: string;
export const MINIBROWSER_PATH: string;
export const WINDOW: { width: number; height: number };
export function parseEngines(value: string | undefined): string[];
export function startXvfb(): Promise<{ display: string; stop: () => Promise<void> }>;
export function startWebDriver(binary: string, env?: Record<string, string>): Promise<{ port: number; stop: () => Promise<void> }>;
export function launcherFor(engine: string): unknown;

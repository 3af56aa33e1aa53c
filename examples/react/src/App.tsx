import { useCallback, useState } from 'react';
import type {} from 'staging-widget/react';

/** Where the BFF runs: `?bff=` (the example's test passes it), else the demo's default. */
const BFF = new URLSearchParams(location.search).get('bff') ?? 'http://localhost:8787';

export function App() {
  const [log, setLog] = useState<string[]>([]);
  const add = (line: string) => setLog((l) => [...l, line]);

  // Your backend's token route in a real site; the BFF's dev route here.
  const fetchToken = useCallback(async () => {
    const res = await fetch(`${BFF}/v1/dev/sessions`, { method: 'POST' });
    if (!res.ok) throw new Error(`token route answered ${res.status}`);
    const { token, expires_at } = (await res.json()) as { token: string; expires_at: string };
    return { token, expires_at };
  }, []);

  return (
    <main>
      <h1>Stage this room</h1>
      <staging-widget
        endpoint={BFF}
        fetchToken={fetchToken}
        services="render-enhancement,upscale"
        lang="en"
        onstaging-upload={(e) => add(`upload ${e.detail.upload.id} ${e.detail.upload.width}x${e.detail.upload.height}`)}
        onstaging-job-created={(e) => add(`job ${e.detail.job.id}`)}
        onstaging-output-selected={(e) => add(`selected ${e.detail.id}`)}
        onstaging-error={(e) => add(`error ${e.detail.code}`)}
      />
      <ul id="event-log" aria-label="Widget events">
        {log.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </main>
  );
}

// The event types are real: a detail field that does not exist is a type error.
// @ts-expect-error `nope` is not part of staging-upload's detail
export const typo = <staging-widget onstaging-upload={(e) => e.detail.nope} />;

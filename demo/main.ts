import '../src/elements/staging-widget/staging-widget.js';

// A real page hard-codes its BFF URL in the tag; the demo learns the port `npm start` chose.
const widget = document.querySelector('staging-widget')!;
widget.setAttribute('endpoint', __STAGING_DEMO_BFF__);

// The host page listens to the widget like any DOM element.
const log = document.querySelector<HTMLOListElement>('#event-log')!;
const events = [
  'staging-upload',
  'staging-job-created',
  'staging-job-updated',
  'staging-job-completed',
  'staging-job-failed',
  'staging-output-selected',
  'staging-error',
] as const;
for (const name of events) {
  widget.addEventListener(name, (e) => {
    const detail = (e as CustomEvent).detail as Record<string, unknown>;
    const li = document.createElement('li');
    const job = detail?.job as { id?: string; status?: string; progress?: number } | undefined;
    const summary = job
      ? `${job.id} · ${job.status}${job.status === 'processing' ? ` · ${Math.round((job.progress ?? 0) * 100)}%` : ''}`
      : JSON.stringify(detail, (k, v) => (k === 'file' || k === 'blob' ? '[file]' : v)).slice(0, 160);
    li.innerHTML = `<time>${new Date().toLocaleTimeString()}</time> <code></code> <span></span>`;
    li.querySelector('code')!.textContent = name;
    li.querySelector('span')!.textContent = summary;
    log.prepend(li);
    while (log.children.length > 40) log.lastElementChild!.remove();
  });
}

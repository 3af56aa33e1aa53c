import '../src/elements/staging-dropzone/staging-dropzone.js';
import '../src/elements/staging-picker/staging-picker.js';
import '../src/elements/staging-mask-painter/staging-mask-painter.js';
import '../src/elements/staging-job-progress/staging-job-progress.js';
import '../src/elements/staging-before-after/staging-before-after.js';
import { StagingClient, TokenManager } from '../src/client/index.js';

const $ = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.querySelector(tag)!;
const byId = (id: string) => document.getElementById(id)!;
for (const el of document.querySelectorAll('staging-picker, staging-job-progress')) el.setAttribute('endpoint', __STAGING_DEMO_BFF__);

$('staging-dropzone').addEventListener('staging-file-selected', (e) => {
  const { file, prepared } = e.detail;
  byId('dropzone-out').textContent = `${file.name}: ready to upload as ${prepared.width} × ${prepared.height} ${prepared.type}`;
});
$('staging-dropzone').addEventListener('staging-file-rejected', (e) => (byId('dropzone-out').textContent = e.detail.message));

$('staging-picker').addEventListener('staging-selection-change', (e) => (byId('picker-out').textContent = JSON.stringify(e.detail, null, 2)));

byId('export-mask').addEventListener('click', async () => {
  const blob = await $('staging-mask-painter').exportMask();
  const url = URL.createObjectURL(blob);
  byId('mask-out').innerHTML = `<a href="${url}" download="mask.png">mask.png</a> (${Math.round(blob.size / 1024)} KB)`;
});

// The progress element needs a job: upload the sample photo with the client and start one.
byId('start-job').addEventListener('click', async () => {
  const client = new StagingClient({ endpoint: __STAGING_DEMO_BFF__, tokens: new TokenManager({ tokenUrl: '/demo-backend/staging-token' }) });
  const photo = await (await fetch('./assets/living-room.jpg')).blob();
  const upload = await client.uploadImage(photo, { contentType: 'image/jpeg' });
  const job = await client.createJob({ service: 'render-enhancement', config: 'interior-modern', upload_id: upload.id });
  const progress = $('staging-job-progress');
  progress.client = client;
  progress.jobId = job.id;
  progress.addEventListener('staging-job-completed', (e) => {
    const compare = $('staging-before-after');
    compare.beforeSrc = upload.url;
    compare.afterSrc = e.detail.job.outputs[0]!.url;
  });
});

import { expect, fixture as mount, html, waitUntil } from '@open-wc/testing';
import {
  forgetJob,
  REMEMBER_MAX_AGE_MS,
  rememberedJobs,
  rememberJob,
  scopeKeyFor,
  storageKeyFor,
} from '../../../src/elements/shared/job-memory.js';
import { StagingJobProgress } from '../../../src/elements/staging-job-progress/staging-job-progress.js';
import { mountProgress, nextEvent, realClient, startJob } from './helpers.js';

const ID_A = 'job_AAAAAAAAAAAAAAAAAAAAAAAA';
const ID_B = 'job_BBBBBBBBBBBBBBBBBBBBBBBB';

describe('job memory (sessionStorage)', () => {
  let scope: string;
  beforeEach(() => {
    scope = `unit-${Math.random().toString(36).slice(2)}`;
  });
  afterEach(() => {
    sessionStorage.removeItem(storageKeyFor(scope));
  });

  it('remembers, lists and forgets jobs under a namespaced key', () => {
    expect(rememberJob(scope, { jobId: ID_A, created_at: '2025-01-01T00:00:00.000Z', service: 'upscale', config: 'standard' })).to.equal(true);
    expect(rememberJob(scope, { jobId: ID_B })).to.equal(true);
    expect(sessionStorage.getItem(`staging-widget:jobs:${scope}`)).to.be.a('string');
    expect(rememberedJobs(scope).map((e) => e.jobId)).to.deep.equal([ID_A, ID_B]);
    expect(rememberedJobs(scope)[0]).to.include({ jobId: ID_A, created_at: '2025-01-01T00:00:00.000Z', service: 'upscale', config: 'standard' });
    expect(rememberedJobs('another-scope')).to.deep.equal([]);
    // Remembering again refreshes the entry instead of adding a second one.
    rememberJob(scope, { jobId: ID_A });
    expect(rememberedJobs(scope).map((e) => e.jobId)).to.deep.equal([ID_B, ID_A]);
    expect(forgetJob(scope, ID_A)).to.equal(true);
    expect(rememberedJobs(scope).map((e) => e.jobId)).to.deep.equal([ID_B]);
    forgetJob(scope, ID_B);
    expect(sessionStorage.getItem(storageKeyFor(scope)), 'an empty list leaves no key behind').to.equal(null);
  });

  it('derives the scope from the endpoint without query, fragment or trailing slash', () => {
    expect(scopeKeyFor('https://staging.example.com/')).to.equal('https://staging.example.com');
    expect(scopeKeyFor('https://staging.example.com/api/?sig=secret#x')).to.equal('https://staging.example.com/api');
    expect(scopeKeyFor(undefined)).to.equal('default');
  });

  it('reads corrupted JSON as nothing, and writes over it', () => {
    sessionStorage.setItem(storageKeyFor(scope), '{not json');
    expect(rememberedJobs(scope)).to.deep.equal([]);
    sessionStorage.setItem(storageKeyFor(scope), '{"jobId":"job_AAAAAAAAAAAAAAAAAAAAAAAA"}');
    expect(rememberedJobs(scope), 'not a list').to.deep.equal([]);
    expect(rememberJob(scope, { jobId: ID_A })).to.equal(true);
    expect(rememberedJobs(scope).map((e) => e.jobId)).to.deep.equal([ID_A]);
  });

  it('keeps only ids and labels: secrets and foreign entries are dropped', () => {
    const now = Date.now();
    sessionStorage.setItem(
      storageKeyFor(scope),
      JSON.stringify([
        { jobId: ID_A, savedAt: now, token: 'eyJhbGciOi.secret', url: 'https://x/v1/outputs/out_1?sig=abc', service: 'upscale' },
        { jobId: 'javascript:alert(1)', savedAt: now },
        { jobId: ID_B, savedAt: now - REMEMBER_MAX_AGE_MS - 1000 },
        { jobId: ID_A, savedAt: now },
        'job_CCCCCCCCCCCCCCCCCCCCCCCC',
        null,
      ]),
    );
    const list = rememberedJobs(scope);
    expect(list).to.have.length(1);
    expect(list[0]).to.deep.equal({ jobId: ID_A, savedAt: now, service: 'upscale' });
    // Even a caller passing more than it should cannot get a secret stored.
    rememberJob(scope, { jobId: ID_B, ...({ token: 'eyJsecret' } as object) });
    expect(sessionStorage.getItem(storageKeyFor(scope))).not.to.contain('eyJ');
    expect(rememberJob(scope, { jobId: 'not-a-job-id' })).to.equal(false);
  });

  it('works without storage: a throwing setItem or getItem', () => {
    const proto = Storage.prototype;
    const { setItem, getItem } = proto;
    try {
      proto.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      expect(rememberJob(scope, { jobId: ID_A })).to.equal(false);
      proto.getItem = () => {
        throw new DOMException('denied', 'SecurityError');
      };
      expect(rememberedJobs(scope)).to.deep.equal([]);
      expect(forgetJob(scope, ID_A)).to.equal(true);
    } finally {
      proto.setItem = setItem;
      proto.getItem = getItem;
    }
  });

  it('works when reading sessionStorage itself throws (a sandboxed iframe, storage blocked)', function () {
    // On the global object WebIDL attributes are own properties: put the original back after.
    const own = Object.getOwnPropertyDescriptor(window, 'sessionStorage');
    let reads = 0;
    Object.defineProperty(window, 'sessionStorage', {
      configurable: true,
      get() {
        reads++;
        throw new DOMException('The document is sandboxed.', 'SecurityError');
      },
    });
    try {
      const remembered = rememberJob(scope, { jobId: ID_A });
      // Skipped where the module never calls the page's getter: WebKit, once other files ran in its process.
      if (reads === 0) this.skip();
      expect(remembered).to.equal(false);
      expect(rememberedJobs(scope)).to.deep.equal([]);
      expect(StagingJobProgress.resume(scope)).to.deep.equal([]);
    } finally {
      if (own) Object.defineProperty(window, 'sessionStorage', own);
      else delete (window as { sessionStorage?: unknown }).sessionStorage;
    }
    expect(rememberJob(scope, { jobId: ID_A }), 'storage is back').to.equal(true);
  });
});

describe('staging-job-progress remember and resume (real BFF)', () => {
  it('remembers a running job (id only), and a new element after a "reload" carries it on to completion', async function () {
    this.timeout(120_000);
    const scope = `reload-${Math.random().toString(36).slice(2)}`;
    const subject = `resume-${Math.random().toString(36).slice(2)}`;
    const before = await realClient(subject);
    const job = await startJob(before, { service: 'upscale', config: 'standard', resolution: '4K' });

    const first = await mountProgress({ client: before, job, remember: true, scope });
    expect(StagingJobProgress.resume(scope)).to.deep.equal([job.id]);
    const stored = sessionStorage.getItem(storageKeyFor(scope))!;
    expect(stored).to.contain(job.id);
    expect(stored).not.to.match(/eyJ|Bearer|sig=|https?:/);
    // The page goes away mid-job.
    first.remove();
    expect(StagingJobProgress.resume(scope), 'removal is not an ending').to.deep.equal([job.id]);

    // After the reload: a new client (new token, same person) and new elements from memory.
    const after = await realClient(subject);
    const ids = StagingJobProgress.resume(scope);
    const el = await mount<StagingJobProgress>(
      html`<div>${ids.map((id) => html`<staging-job-progress .client=${after} job-id=${id} remember scope=${scope}></staging-job-progress>`)}</div>`,
    ).then((div) => div.querySelector('staging-job-progress')!);
    const { detail } = await nextEvent(el, 'staging-job-completed');
    expect(detail.job.id).to.equal(job.id);
    expect(detail.job.outputs).to.have.length(1);
    expect(StagingJobProgress.resume(scope), 'forgotten once finished').to.deep.equal([]);
  });

  it('writes nothing without `remember`, and forgets a job that no longer exists', async () => {
    const scope = `noremember-${Math.random().toString(36).slice(2)}`;
    const client = await realClient();
    const job = await startJob(client);
    const el = await mountProgress({ client, job, scope });
    await waitUntil(() => el.job?.status !== 'pending', 'no update', { timeout: 5000 });
    expect(StagingJobProgress.resume(scope)).to.deep.equal([]);

    const gone = 'job_ZZZZZZZZZZZZZZZZZZZZZZZZ';
    rememberJob(scope, { jobId: gone });
    const stale = await mountProgress({ client, jobId: gone, remember: true, scope });
    await nextEvent(stale, 'staging-error');
    expect(StagingJobProgress.resume(scope)).to.deep.equal([]);
  });
});

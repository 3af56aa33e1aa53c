import { expect } from '@open-wc/testing';
import { Resolution } from '../../src/contract/index.js';

describe('contract in the browser', () => {
  it('parses a resolution with zod/mini', () => {
    expect(Resolution.parse('2K')).to.equal('2K');
    expect(Resolution.safeParse('8K').success).to.equal(false);
  });
});

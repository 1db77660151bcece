import { describe, expect, it } from 'vitest';
import { OutcomeWindow } from '../../src/upstream/outcome-window.js';

describe('OutcomeWindow', () => {
  it('keeps the same outcomes as a plain list through growth and wrap-around', () => {
    const window = new OutcomeWindow();
    let model: Array<[number, boolean]> = [];
    // Bursts larger than the ring's first size (64), with drops in between, so that it wraps and grows while it wraps.
    for (let time = 0; time < 2000; time++) {
      const failed = time % 7 === 0 || time % 11 === 0;
      window.push(time, failed);
      model.push([time, failed]);
      const cutoff = time - (time % 300 < 150 ? 40 : 200);
      window.dropUpTo(cutoff);
      model = model.filter(([at]) => at > cutoff);
      expect(window.size).toBe(model.length);
      expect(window.failedCount).toBe(model.filter(([, bad]) => bad).length);
    }
    window.clear();
    expect([window.size, window.failedCount]).toEqual([0, 0]);
    window.push(5, true);
    expect([window.size, window.failedCount]).toEqual([1, 1]);
  });
});

// A run's path and its summaries on hand-made paths: Retain at matched Efficacy interpolates between
// the two points around the first crossing, says null when the path never gets there, and the area
// under the frontier takes the best Retain at each level of Efficacy.
import { describe, expect, it } from 'vitest';
import { frontierArea, trajectoryPoint, valueAtEfficacy, type TrajectoryPoint } from '../../../src/unlearning/trajectory.ts';
import { TRAJECTORY, trajectoryUntil } from '../../../src/unlearning/protocol.ts';

const path = (pairs: [number, number][]): TrajectoryPoint[] => pairs.map(([efficacy, retain], i) => ({ step: i * 10, efficacy, retain, scope: retain / 2 }));

describe('trajectory summaries', () => {
  it('interpolates Retain where Efficacy first reaches the level', () => {
    const p = path([[0, 100], [60, 90], [100, 50]]);
    // Between (60, 90) and (100, 50): at 90, a quarter of the way from the end.
    expect(valueAtEfficacy(p, 90)).toBeCloseTo(60, 10);
    expect(valueAtEfficacy(p, 60)).toBe(90);
    expect(valueAtEfficacy(p, 0)).toBe(100);
    expect(valueAtEfficacy(p, 90, 'scope')).toBeCloseTo(30, 10);
  });

  it('uses the first crossing, and says not reached (null) when no point gets there', () => {
    const p = path([[10, 100], [95, 80], [70, 90], [99, 20]]);
    expect(valueAtEfficacy(p, 90)).toBeCloseTo(100 + (80 / 85) * (80 - 100), 10);
    expect(valueAtEfficacy(path([[0, 100], [50, 90]]), 90)).toBeNull();
    expect(valueAtEfficacy([{ step: 0, efficacy: null, retain: 50, scope: null }], 0)).toBeNull();
  });

  it('integrates the best Retain at each level of Efficacy (0-100)', () => {
    // Levels in (0, 40]: the points at 40 and 100 reach them, best 70; (40, 100]: only the last, 60.
    expect(frontierArea(path([[0, 100], [40, 70], [100, 60]]))).toBeCloseTo((40 * 70 + 60 * 60) / 100, 10);
    // A later point that keeps more at a higher Efficacy lifts the frontier below it too.
    expect(frontierArea(path([[0, 50], [100, 100]]))).toBe(100);
    expect(frontierArea([])).toBe(0);
  });

  it('turns live metrics into 0-100 points (Efficacy = 100 - known share on forget items)', () => {
    const cell = { known: null, n: 0 };
    const metrics = {
      step: 20, forget: 0.25, retain: 0.9, scope: null, ms: 1,
      matrix: { forgetPerson: { identity: cell, event: cell }, forgetEvent: { identity: cell, event: cell }, neither: { identity: cell, event: cell } },
    };
    expect(trajectoryPoint(metrics)).toEqual({ step: 20, efficacy: 75, retain: 90, scope: null });
  });
});

describe('trajectoryUntil: where a bench run\'s path ends', () => {
  it('goes to at least 1.5 x the run\'s steps, on a multiple of the point spacing, never before the run ends', () => {
    expect(TRAJECTORY.factor).toBe(1.5);
    expect(trajectoryUntil(30, 10)).toBe(50); // 45 rounded up: the last point is measured
    expect(trajectoryUntil(140, 10)).toBe(210);
    expect(trajectoryUntil(70, 10)).toBe(110);
    expect(trajectoryUntil(10, 10)).toBe(20);
    expect(trajectoryUntil(5, 20)).toBe(20);
    expect(trajectoryUntil(40, 10, 2)).toBe(80);
  });
});

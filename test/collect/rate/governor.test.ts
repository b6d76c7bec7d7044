import { describe, expect, it } from 'vitest';
import { createRateGovernor, type Permit } from '../../../src/collect/rate/governor.js';
import { fakeClock, settled } from './fake-clock.js';

const LANE = 'iam-read';

/** `n` attempts taken at once (the clock does not move), in the order they were sent */
async function take(governor: ReturnType<typeof createRateGovernor>, n: number, lane = LANE): Promise<Permit[]> {
  return Promise.all(Array.from({ length: n }, () => governor.acquire(lane)));
}

describe('the rate governor', () => {
  it('lets at most maxInFlight attempts out, and hands a finished slot to the next in line', async () => {
    const governor = createRateGovernor({ maxInFlight: 2, clock: fakeClock() });
    const [a, b] = await take(governor, 2);
    let third: Permit | undefined;
    void governor.acquire(LANE).then((p) => (third = p));
    await settled();
    expect(governor.inFlight).toBe(2);
    expect(third).toBeUndefined();
    a?.done('ok');
    await settled();
    expect(third).toBeDefined();
    expect(governor.inFlight).toBe(2);
    b?.done('failed');
    third?.done('ok');
    // a second done of the same permit gives nothing back twice
    third?.done('ok');
    expect(governor.inFlight).toBe(0);
  });

  it('is unpaced until throttled, then cuts once per round however many replies in flight were throttled', async () => {
    const clock = fakeClock();
    const governor = createRateGovernor({ maxInFlight: 100, roundSends: 10, decrease: 0.5, clock });
    expect(governor.lane(LANE).rate).toBeUndefined();
    const burst = await take(governor, 40);
    await clock.advance(400);
    // 40 sends in the 400 ms since the lane's first: 100 requests/s, halved once
    for (const p of burst) p.done('throttled');
    expect(governor.lane(LANE)).toMatchObject({ rate: 50, cuts: 1 });
  });

  it('cuts again only for an attempt sent after the cut, once a round of sends has gone out', async () => {
    const clock = fakeClock();
    const governor = createRateGovernor({ maxInFlight: 100, roundSends: 10, decrease: 0.5, clock });
    const first = await take(governor, 10);
    first[0]?.done('throttled');
    const cutTo = governor.lane(LANE).rate as number;
    expect(governor.lane(LANE).cuts).toBe(1);
    // sent before the cut: no new cut
    first[1]?.done('throttled');
    expect(governor.lane(LANE).cuts).toBe(1);
    // nine sent after the cut: not a round yet
    const after = [];
    for (let i = 0; i < 9; i++) {
      const p = governor.acquire(LANE);
      await clock.advance(1000 / cutTo);
      after.push(await p);
    }
    after[8]?.done('throttled');
    expect(governor.lane(LANE).cuts).toBe(1);
    const tenth = governor.acquire(LANE);
    await clock.advance(1000);
    (await tenth).done('throttled');
    expect(governor.lane(LANE).cuts).toBe(2);
    expect(governor.lane(LANE).rate).toBeLessThan(cutTo);
  });

  it('spaces paced attempts one interval apart', async () => {
    const clock = fakeClock();
    const governor = createRateGovernor({ maxInFlight: 100, roundSends: 1, decrease: 0.5, floorRps: 1, clock });
    const first = await take(governor, 20);
    for (const p of first) p.done('throttled');
    // 20 sends over the 100 ms minimum window: 200/s measured, cut to 100/s
    expect(governor.lane(LANE).rate).toBe(100);
    const sentAt: number[] = [];
    const next = Array.from({ length: 4 }, () => governor.acquire(LANE).then(() => sentAt.push(clock.now())));
    await clock.advance(100);
    await Promise.all(next);
    expect(sentAt).toEqual([0, 10, 20, 30]);
  });

  it('recovers on successes: each adds increase/rate', async () => {
    const clock = fakeClock();
    const governor = createRateGovernor({ maxInFlight: 100, roundSends: 1, decrease: 0.5, floorRps: 1, increase: 10, clock });
    for (const p of await take(governor, 20)) p.done('throttled');
    expect(governor.lane(LANE).rate).toBe(100);
    const ok = governor.acquire(LANE);
    await clock.advance(1000);
    (await ok).done('ok');
    expect(governor.lane(LANE).rate).toBeCloseTo(100.1, 10);
    // a failure that is not a throttle says nothing about the rate
    const failed = governor.acquire(LANE);
    await clock.advance(1000);
    (await failed).done('failed');
    expect(governor.lane(LANE).rate).toBeCloseTo(100.1, 10);
  });

  it('never paces below the floor, however long the throttling lasts', async () => {
    const clock = fakeClock();
    const governor = createRateGovernor({ maxInFlight: 100, roundSends: 1, decrease: 0.5, floorRps: 2, clock });
    for (let round = 0; round < 30; round++) {
      const p = governor.acquire(LANE);
      await clock.advance(1000);
      (await p).done('throttled');
    }
    expect(governor.lane(LANE).cuts).toBeGreaterThan(5);
    expect(governor.lane(LANE).rate).toBe(2);
    // and at the floor, attempts still go out every half second
    const sentAt: number[] = [];
    const start = clock.now();
    const next = Array.from({ length: 3 }, () => governor.acquire(LANE).then((p) => (sentAt.push(clock.now() - start), p.done('ok'))));
    await clock.advance(2000);
    await Promise.all(next);
    expect(sentAt[2]! - sentAt[0]!).toBeLessThanOrEqual(1000);
  });

  it('keeps a rate per lane: a throttled family does not slow the others', async () => {
    const governor = createRateGovernor({ maxInFlight: 100, roundSends: 1, clock: fakeClock() });
    for (const p of await take(governor, 10, 'iam-report')) p.done('throttled');
    expect(governor.lane('iam-report').rate).toBeDefined();
    expect(governor.lane('iam-read').rate).toBeUndefined();
  });

  it('gives the slot back when the wait for a turn is aborted', async () => {
    const clock = fakeClock();
    const governor = createRateGovernor({ maxInFlight: 1, clock });
    const held = await governor.acquire(LANE);
    const abort = new AbortController();
    const waiting = governor.acquire(LANE, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    held.done('ok');
    expect(governor.inFlight).toBe(0);
    // paced: aborted while sleeping for its turn
    const paced = createRateGovernor({ maxInFlight: 10, roundSends: 1, clock });
    for (const p of await take(paced, 10)) p.done('throttled');
    const sleeping = new AbortController();
    const turns = [paced.acquire(LANE), paced.acquire(LANE, sleeping.signal)];
    await settled();
    sleeping.abort();
    await expect(turns[1]).rejects.toMatchObject({ name: 'AbortError' });
    await clock.advance(10_000);
    (await turns[0])?.done('ok');
    expect(paced.inFlight).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { type LiveEvent, packEvents } from './live.ts';

const event = (i: number): LiveEvent => ({
  userIds: [`user-${i}`, 'district-admin'],
  type: 'report.alert',
  data: { reportId: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`, urgency: 'urgent', school: 'Lincoln Middle School' },
});

describe('packing live events for NOTIFY', () => {
  it('a burst of alerts fits under PostgreSQL’s 8,000-byte payload limit, none lost, in order', () => {
    const events = Array.from({ length: 500 }, (_, i) => event(i));
    const payloads = packEvents(events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(payloads.flatMap((p) => JSON.parse(p) as LiveEvent[])).toEqual(events);
  });

  it('nothing to send, nothing packed', () => {
    expect(packEvents([])).toEqual([]);
  });
});

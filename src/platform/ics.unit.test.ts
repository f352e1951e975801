import { describe, expect, it } from 'vitest';
import { calendarFile, escapeText, fold } from './ics.ts';

describe('iCalendar appointment files', () => {
  it('writes one event in UTC with CRLF line ends that calendar apps accept', () => {
    const ics = calendarFile({
      uid: 'r1@haven',
      start: new Date('2026-12-02T23:30:00Z'),
      minutes: 50,
      summary: 'Cita de consejería, Servicios',
      location: 'Telehealth',
      url: 'https://meet.example.org/abc',
      stamp: new Date('2026-11-28T15:00:00.123Z'),
    });
    expect(ics.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Haven//Referral appointments//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:r1@haven',
      'DTSTAMP:20261128T150000Z',
      'DTSTART:20261202T233000Z',
      'DTEND:20261203T002000Z',
      'SUMMARY:Cita de consejería\\, Servicios',
      'LOCATION:Telehealth',
      'URL:https://meet.example.org/abc',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
  });

  it('escapes text and folds long lines without splitting a character', () => {
    expect(escapeText('a;b,c\\d\nnext')).toBe('a\\;b\\,c\\\\d\\nnext');
    const long = `DESCRIPTION:${'é'.repeat(60)}`;
    const folded = fold(long).split('\r\n');
    expect(folded.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(folded.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(long);
  });
});

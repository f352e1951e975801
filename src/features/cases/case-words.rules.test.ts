import { describe, expect, it } from 'vitest';
import { readCaseEvent, readTaskTitle } from './case-words.rules.ts';
import { checkInTitle, reentryCheckIns, reentryMeetingTitle } from './reentry.rules.ts';

const at = new Date('2026-11-30T17:00:00Z'); // Monday 10:00 in Denver
const read = (kind: string, summary: string, timeZone = 'America/Denver') => readCaseEvent({ kind, summary, at, timeZone });

describe('re-entry task titles read back as words', () => {
  it('every check-in title Haven writes, and the meeting’s, has its parts', () => {
    const checkIns = reentryCheckIns('2026-12-07', [1, 2, 3, 4, 5]);
    const words = checkIns.map((c, i) => readTaskTitle(checkInTitle(c, i, checkIns.length)));
    expect(words[0]).toEqual({ code: 'first_check_in', values: {} });
    expect(words[1]).toEqual({ code: 'check_in', values: { day: checkIns[1]?.day } });
    expect(words.at(-1)).toEqual({ code: 'last_check_in', values: { day: checkIns.at(-1)?.day, windowDays: 90 } });
    expect(words.every(Boolean)).toBe(true);
    expect(readTaskTitle(reentryMeetingTitle('2026-12-07'))).toEqual({ code: 'reentry_meeting', values: { returnDate: '2026-12-07' } });
  });

  it('a title a person typed has no words: it is shown as typed', () => {
    expect(readTaskTitle('Call the outpatient clinic')).toBeNull();
    expect(readTaskTitle('Re-entry check-in, day five')).toBeNull();
  });
});

describe('the timeline reads back as words', () => {
  it.each([
    ['opened', 'Case opened (suicide risk) from 2 report(s).', { code: 'opened', values: { type: 'suicide_risk', reports: 2 } }],
    ['opened', 'Case opened (abuse neglect).', { code: 'opened', values: { type: 'abuse_neglect', reports: 0 } }],
    ['start_safety_planning', 'Status: assessing → safety planning.', { code: 'status', values: { from: 'assessing', to: 'safety_planning' } }],
    [
      'reopen',
      'Status: closed → open (New disclosure (at lunch) from the student).',
      { code: 'status_because', values: { from: 'closed', to: 'open', reason: 'New disclosure (at lunch) from the student' } },
    ],
    [
      'close',
      'Status: monitoring → closed. Outcome: referred community care. Maya is safe at home. 2 open task(s) cancelled: Re-entry check-in, day 7; Call mom.',
      { code: 'closed', values: { from: 'monitoring', outcome: 'referred_community_care', summary: 'Maya is safe at home.', cancelled: 2 } },
    ],
    [
      'close',
      'Status: open → closed. Outcome: resolved. Done.',
      { code: 'closed', values: { from: 'open', outcome: 'resolved', summary: 'Done.', cancelled: 0 } },
    ],
    ['student_identified', 'Student identified: Maya Torres (100234).', { code: 'student_identified', values: { student: 'Maya Torres', localId: '100234' } }],
    ['break_glass', 'Broke the glass to see this case: covering for Ms. Rivera', { code: 'break_glass', values: { reason: 'covering for Ms. Rivera' } }],
    ['screening', 'ASQ given in the case: non acute positive.', { code: 'screening', values: { instrument: 'ASQ', band: 'non_acute_positive' } }],
    ['screening', 'PHQ-A given in the case: not scored.', { code: 'screening', values: { instrument: 'PHQ-A', band: 'not_scored' } }],
    ['suicide_assessment', 'Suicide risk assessment (SAFE-T): high.', { code: 'suicide_assessment', values: { level: 'high' } }],
    [
      'suicide_assessment',
      'Suicide risk assessment (SAFE-T): moderate (Haven suggested high).',
      { code: 'suicide_assessment_differs', values: { level: 'moderate', suggested: 'high' } },
    ],
    ['threat_assessment', 'Threat assessment: transient, low.', { code: 'threat_transient', values: { level: 'low' } }],
    [
      'threat_assessment',
      'Threat assessment: substantive (very serious), high.',
      { code: 'threat_substantive', values: { severity: 'very_serious', level: 'high' } },
    ],
    ['safety_plan', 'Safety plan made with the student (new version).', { code: 'safety_plan', values: {} }],
    [
      'safety_plan',
      'Safety plan saved with the student (new version); still empty: warning signs, people to ask for help.',
      { code: 'safety_plan_incomplete', values: { missing: ['warningSigns', 'peopleToAsk'] } },
    ],
    [
      'safety_plan_shared',
      'Safety plan version 2 shared with Rosa Torres (mother) (in_person).',
      { code: 'safety_plan_shared', values: { version: 2, guardian: 'Rosa Torres (mother)', method: 'in_person' } },
    ],
    ['guardian_notice', 'Guardian notified: Rosa Torres by phone.', { code: 'guardian_notified', values: { guardian: 'Rosa Torres', method: 'phone' } }],
    [
      'guardian_notice',
      'A reason not to notify the guardian was documented; an administrator must confirm it.',
      { code: 'guardian_reason_documented', values: {} },
    ],
    [
      'guardian_notice',
      'The reason not to notify the guardian was confirmed by Dana Whitfield.',
      { code: 'guardian_reason_confirmed', values: { who: 'Dana Whitfield' } },
    ],
    ['mandatory_report', 'Mandatory report made (state hotline).', { code: 'mandatory_report', values: { agency: 'state_hotline' } }],
    [
      'mandatory_report_overdue',
      'The mandatory report is past its 24-hour deadline; administrators were alerted.',
      { code: 'mandatory_report_overdue', values: {} },
    ],
    [
      'guardian_notice_overdue',
      'The guardian was not told (nor a reason not to confirmed) by the end of the school day; administrators were alerted.',
      { code: 'guardian_notice_overdue', values: {} },
    ],
    [
      'reentry_plan',
      'Re-entry plan: back on 2026-12-07; 10 check-ins on school days through 2027-03-05 (day 90), replacing the earlier schedule.',
      { code: 'reentry_plan_replaced', values: { returnDate: '2026-12-07', checkIns: 10, lastDate: '2027-03-05', lastDay: 90 } },
    ],
    [
      'handoff',
      'Warm hand-off to colorado crisis services: connected.',
      { code: 'handoff', values: { target: 'colorado_crisis_services', outcome: 'connected' } },
    ],
    ['handoff', 'Warm hand-off to 988: no_answer.', { code: 'handoff', values: { target: '988', outcome: 'no_answer' } }],
    ['task_added', 'Task: Call the outpatient clinic.', { code: 'task_added', values: { title: 'Call the outpatient clinic' } }],
    ['task_done', 'Done: Call the clinic (left a message).', { code: 'task_done', values: { title: 'Call the clinic', note: 'left a message' } }],
    [
      'task_done',
      `Done: ${reentryMeetingTitle('2026-12-07')}.`,
      { code: 'task_done', values: { title: reentryMeetingTitle('2026-12-07'), task: 'reentry_meeting', returnDate: '2026-12-07' } },
    ],
    [
      'task_done',
      'Done: Re-entry check-in, day 7 (doing better).',
      { code: 'task_done', values: { title: 'Re-entry check-in, day 7', note: 'doing better', task: 'check_in', day: 7 } },
    ],
  ] as const)('%s: "%s"', (kind, summary, words) => {
    expect(read(kind, summary)).toEqual(words);
  });

  it('deadlines written on the district’s clock become instants, whatever the browser’s zone', () => {
    // Node writes a narrow no-break space before PM; older versions a plain space.
    expect(
      read(
        'mandatory_report_due',
        'Abuse or neglect is suspected: a mandatory report is due now, and by Tue, Dec 1, 9:00\u202fAM MST at the latest (24 hours from when the information first reached Haven, Mon, Nov 30, 9:00 AM MST).',
      ),
    ).toEqual({ code: 'mandatory_report_due', values: { deadline: '2026-12-01T16:00:00.000Z', startedAt: '2026-11-30T16:00:00.000Z' } });
    expect(
      read(
        'guardian_notice_due',
        'The suicide risk is high: tell the guardian (or document a reason not to, for an administrator to confirm) by Mon, Nov 30, 3:30 PM MST, the end of the school day.',
      ),
    ).toEqual({ code: 'guardian_notice_due', values: { deadline: '2026-11-30T22:30:00.000Z' } });
    // A deadline in January set on 31 December is in the next year.
    expect(
      readCaseEvent({
        kind: 'guardian_notice_due',
        summary:
          'The suicide risk is high: tell the guardian (or document a reason not to, for an administrator to confirm) by Fri, Jan 1, 12:15 AM MST, the end of the school day.',
        at: new Date('2026-12-31T23:00:00Z'),
        timeZone: 'America/Denver',
      }),
    ).toEqual({ code: 'guardian_notice_due', values: { deadline: '2027-01-01T07:15:00.000Z' } });
  });

  it('a sentence Haven does not write, or under another kind, has no words: it is shown as stored', () => {
    expect(read('opened', 'Case opened by hand.')).toBeNull();
    expect(read('handoff', 'Warm hand-off to the moon: connected.')).toBeNull();
    expect(read('task_added', 'Case opened (suicide risk).')).toBeNull();
    expect(read('start_monitoring', 'Status: assessing → dancing.')).toBeNull();
  });
});

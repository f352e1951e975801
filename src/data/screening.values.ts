/**
 * Screening vocabularies shared by the server tables, schemas and the web app (no database import).
 */
export const consentPolicies = ['active', 'passive'] as const;
export const consentKinds = ['consent', 'opt_out', 'student_consent', 'withdrawn'] as const;
/** A consent row speaks for one window; only a refusal may speak for a whole school year. */
export const consentScopes = ['window', 'school_year'] as const;
export const consentSources = ['paper', 'email', 'phone', 'in_person', 'student'] as const;
/** `declined`: the student chose "I'd rather not" on the first page (never counted as absent). */
export const sessionStatuses = ['issued', 'started', 'completed', 'absent', 'declined', 'void'] as const;
export const resultSources = ['screen', 'staff', 'import'] as const;
/** Flags that raise an alert through the crisis escalation chain rather than the follow-up queue. */
export const alertFlags = ['imminent_risk', 'suicide_risk'] as const;
/** What a proctor marks for several students at once, from the paper forms and the attendance. */
export const studentMarks = ['consent_received', 'consent_refused', 'absent'] as const;

/**
 * Screening vocabularies shared by the server tables, schemas and the web app (no database import).
 */
export const consentPolicies = ['active', 'passive'] as const;
export const consentKinds = ['consent', 'opt_out', 'student_consent', 'withdrawn'] as const;
export const consentSources = ['paper', 'email', 'phone', 'in_person', 'student'] as const;
export const sessionStatuses = ['issued', 'started', 'completed', 'absent', 'void'] as const;
export const resultSources = ['screen', 'staff', 'import'] as const;
/** Flags that raise an alert through the crisis escalation chain rather than the follow-up queue. */
export const alertFlags = ['imminent_risk', 'suicide_risk'] as const;

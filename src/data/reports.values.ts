/**
 * The words of a report: channels, categories, urgencies, statuses and outcomes. Plain values with
 * no database import, so the web app uses the same lists as the server.
 */
export const reportChannels = ['web', 'api', 'sms', 'email', 'phone', 'walk_in', 'staff_concern', 'state_tip_line', 'screening'] as const;
export const reportCategories = [
  'suicide_self_harm',
  'harm_to_others',
  'weapon',
  'abuse_neglect',
  'bullying_harassment',
  'sexual_assault_dating_violence',
  'substance_use',
  'mental_health_worry',
  'other',
] as const;
export const urgencies = ['life_safety', 'urgent', 'routine'] as const;

/**
 * Categories that carry the duty to report suspected child abuse (C.R.S. 19-3-304): abuse and
 * neglect, and sexual assault, which is sexual abuse of a child under C.R.S. 19-1-103. The filer is
 * told the duty is theirs, and such a report cannot close without a mandatory report or an
 * administrator's finding of no reasonable cause (for example dating violence between peers with
 * no caregiver involved, where the finding says why).
 */
export const mandatoryReportCategories = ['abuse_neglect', 'sexual_assault_dating_violence'] as const;
export const carriesReportingDuty = (category: string) => (mandatoryReportCategories as readonly string[]).includes(category);
export const reportStatuses = ['received', 'acknowledged', 'closed'] as const;
export const dispositions = ['resolved', 'referred', 'prank', 'unfounded', 'duplicate', 'no_action_needed'] as const;

/** Staff-entered channels. */
export const staffChannels = ['phone', 'walk_in', 'staff_concern', 'state_tip_line'] as const;

/**
 * A triage reason as the table holds it: a coded reason (crisis-reports' `TriageReason` says which
 * codes exist) or the English sentence of a report triaged before reasons had codes.
 */
export type StoredReason = string | { code: string };

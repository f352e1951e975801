import type { TaskStatus } from './referral.rules.ts';

/**
 * A referral as FHIR R4, the way the HL7 US SDOH Clinical Care guide closes the loop: the
 * ServiceRequest is the referral (need, subject, requester, performer, consent), a Task with code
 * `fulfill` whose focus is the ServiceRequest carries the work. Haven's "scheduled" is not a Task
 * status, so it travels as `accepted` with a business status, as the guide does.
 */
export type ReferralForFhir = {
  id: string;
  status: TaskStatus;
  statusReason: string | null;
  urgency: 'routine' | 'urgent' | 'asap';
  serviceType: string;
  serviceName: string;
  organization: { id: string; name: string };
  student: { id: string; name: string };
  requester: { id: string; name: string };
  consentBasis: string | null;
  familySharedNote: string | null;
  createdAt: Date;
  lastModified: Date;
  appointmentAt: Date | null;
  firstSeenAt: Date | null;
  /** For a substance-use program, the 42 CFR 2.32 notice that must travel with what it tells the school. */
  part2Notice?: string;
};

/**
 * HL7 security labels for a 42 CFR Part 2 record: the sensitivity (42CFRPart2) and the refrain
 * policy "no redisclosure without consent directive" (NORDSCLCD), so a receiving system that reads
 * labels keeps the restriction.
 */
const part2Security = [
  { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '42CFRPart2', display: '42 CFR Part2' },
  { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'NORDSCLCD', display: 'no redisclosure without consent directive' },
];

const requestStatus: Record<TaskStatus, string> = {
  draft: 'draft',
  requested: 'active',
  accepted: 'active',
  rejected: 'revoked',
  scheduled: 'active',
  'in-progress': 'active',
  'on-hold': 'on-hold',
  completed: 'completed',
  failed: 'revoked',
  cancelled: 'revoked',
};

export function referralBundle(r: ReferralForFhir, baseUrl: string) {
  const serviceRequest = {
    resourceType: 'ServiceRequest',
    id: r.id,
    ...(r.part2Notice ? { meta: { security: part2Security } } : {}),
    status: requestStatus[r.status],
    intent: 'order',
    priority: r.urgency,
    category: [{ text: 'Behavioral health referral' }],
    code: { coding: [{ system: `${baseUrl}/fhir/CodeSystem/service-type`, code: r.serviceType }], text: r.serviceName },
    subject: { reference: `Patient/${r.student.id}`, display: r.student.name },
    requester: { reference: `Practitioner/${r.requester.id}`, display: r.requester.name },
    performer: [{ reference: `Organization/${r.organization.id}`, display: r.organization.name }],
    authoredOn: r.createdAt.toISOString(),
    ...(r.consentBasis ? { supportingInfo: [{ display: `Consent basis: ${r.consentBasis.replaceAll('_', ' ')}` }] } : {}),
    ...(r.familySharedNote ? { note: [{ text: r.familySharedNote }] } : {}),
  };
  const task = {
    resourceType: 'Task',
    id: `${r.id}-task`,
    ...(r.part2Notice ? { meta: { security: part2Security } } : {}),
    status: r.status === 'scheduled' ? 'accepted' : r.status,
    ...(r.status === 'scheduled' ? { businessStatus: { text: 'Appointment scheduled' } } : {}),
    ...(r.statusReason ? { statusReason: { text: r.statusReason } } : {}),
    intent: 'order',
    priority: r.urgency,
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill', display: 'Fulfill the focal request' }] },
    focus: { reference: `ServiceRequest/${r.id}` },
    for: { reference: `Patient/${r.student.id}`, display: r.student.name },
    authoredOn: r.createdAt.toISOString(),
    lastModified: r.lastModified.toISOString(),
    requester: { reference: `Practitioner/${r.requester.id}`, display: r.requester.name },
    owner: { reference: `Organization/${r.organization.id}`, display: r.organization.name },
    ...(r.appointmentAt ? { restriction: { period: { start: r.appointmentAt.toISOString() } } } : {}),
    ...(r.firstSeenAt ? { output: [{ type: { text: 'First appointment attended' }, valueDateTime: r.firstSeenAt.toISOString() }] } : {}),
    ...(r.part2Notice ? { note: [{ text: r.part2Notice }] } : {}),
  };
  return {
    resourceType: 'Bundle',
    ...(r.part2Notice ? { meta: { security: part2Security } } : {}),
    type: 'collection',
    entry: [
      { fullUrl: `${baseUrl}/fhir/ServiceRequest/${r.id}`, resource: serviceRequest },
      { fullUrl: `${baseUrl}/fhir/Task/${r.id}-task`, resource: task },
    ],
  };
}

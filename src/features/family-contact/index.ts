/**
 * The family-contact feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 */
export { familyContactIsHeld, mailFamily, sendToFamily } from './family-contact.service.ts';

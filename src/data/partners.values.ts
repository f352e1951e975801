/** Kinds of formal agreement with a partner (plain values, shared with the web app). */
export const agreementTypes = ['mou', 'data_sharing_agreement', 'contract'] as const;
/** Under what FERPA basis a partner receives student records: as a school official, or on consent. */
export const ferpaBases = ['school_official', 'consent'] as const;

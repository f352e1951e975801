import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import { insertMany } from '../db/bulk.ts';
import type { Database, Transaction } from '../db/client.ts';
import type { Ids } from '../ids.ts';
import { type ChainBreak, createChainChecker, genesisHash, hashEvent } from './audit.rules.ts';
import { auditEvents } from './audit.tables.ts';

/** Who an audit event is attributed to. */
export type AuditActor = { userId: string | null; label: string };

export type AuditEntry = {
  action: string;
  subjectType?: string;
  subjectId?: string;
  /** Set when the event concerns one student's record; it then appears in their access log. */
  studentId?: string;
  /** The legitimate interest or purpose, for reads and disclosures. */
  reason?: string;
  detail?: Record<string, unknown>;
};

export type Audit = {
  /** Appends one event to the district's chain inside the caller's transaction. */
  append(tx: Transaction, districtId: string, actor: AuditActor, entry: AuditEntry): Promise<void>;
  /** Appends several events in order with one lock and one INSERT (a batch of reports routed together). */
  appendMany(tx: Transaction, districtId: string, events: readonly { actor: AuditActor; entry: AuditEntry }[]): Promise<void>;
};

export function createAudit(deps: { clock: Clock; ids: Ids }): Audit {
  const appendMany: Audit['appendMany'] = async (tx, districtId, events) => {
    if (events.length === 0) return;
    // Serialize appends per district so the chain has no forks; held only until commit.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit:${districtId}`}, 0))`);
    const [last] = await tx
      .select({ sequence: auditEvents.sequence, hash: auditEvents.hash })
      .from(auditEvents)
      .where(eq(auditEvents.districtId, districtId))
      .orderBy(desc(auditEvents.sequence))
      .limit(1);
    let sequence = last?.sequence ?? 0;
    let previousHash = last?.hash ?? genesisHash;
    const at = deps.clock.now();
    const rows = events.map(({ actor, entry }) => {
      sequence += 1;
      const event = {
        id: deps.ids.uuid(),
        districtId,
        sequence,
        at,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: entry.action,
        subjectType: entry.subjectType ?? null,
        subjectId: entry.subjectId ?? null,
        studentId: entry.studentId ?? null,
        reason: entry.reason ?? null,
        detail: entry.detail ?? {},
      };
      const row = { ...event, previousHash, hash: hashEvent(previousHash, event) };
      previousHash = row.hash;
      return row;
    });
    await insertMany(tx, auditEvents, rows);
  };
  return {
    append: (tx, districtId, actor, entry) => appendMany(tx, districtId, [{ actor, entry }]),
    appendMany,
  };
}

/**
 * Re-computes a district's chain from the stored rows (system connection: verification must
 * see every row), a page at a time so a long trail never has to fit in memory.
 */
export async function verifyDistrictChain(systemDb: Database, districtId: string): Promise<{ events: number; firstBreak: ChainBreak | null }> {
  const check = createChainChecker();
  let after = 0;
  let events = 0;
  for (;;) {
    const page = await systemDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.districtId, districtId), gt(auditEvents.sequence, after)))
      .orderBy(asc(auditEvents.sequence))
      .limit(5000);
    for (const row of page) {
      events += 1;
      const firstBreak = check(row);
      if (firstBreak) return { events, firstBreak };
    }
    const last = page.at(-1);
    if (!last || page.length < 5000) return { events, firstBreak: null };
    after = last.sequence;
  }
}

import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { auditEvents } from '../../data/audit.ts';
import type { Clock } from '../clock.ts';
import { insertMany } from '../db/bulk.ts';
import type { Database, Transaction } from '../db/client.ts';
import type { Ids } from '../ids.ts';
import type { Secrets } from '../secrets.ts';
import type { AuditAction } from './actions.ts';
import { type Anchor, anchorIsGenuine, type ChainBreak, createChainChecker, genesisHash, hashEvent, signAnchor } from './audit.rules.ts';

/** Who an audit event is attributed to. */
export type AuditActor = { userId: string | null; label: string };

export type AuditEntry = {
  action: AuditAction;
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

/** The key audit hashes are computed with: derived from Haven's secret key, never stored in the database. */
export function auditKey(secrets: Pick<Secrets, 'derive'>): Buffer {
  return Buffer.from(secrets.derive('audit-chain'), 'hex');
}

export function createAudit(deps: { clock: Clock; ids: Ids; key: Buffer }): Audit {
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
      const row = { ...event, previousHash, hash: hashEvent(previousHash, event, deps.key) };
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
 * see every row), a page at a time so a long trail never has to fit in memory. With an anchor
 * (a head printed earlier by `haven audit anchor` and kept outside the database), the event at
 * the anchor must still carry the anchored hash: a chain rewritten before it, even with every
 * hash recomputed with the key, is found.
 */
export async function verifyDistrictChain(
  systemDb: Database,
  districtId: string,
  key: Buffer,
  anchor?: Anchor,
): Promise<{ events: number; firstBreak: ChainBreak | null }> {
  const check = createChainChecker(key);
  if (anchor && !anchorIsGenuine(key, anchor)) {
    return {
      events: 0,
      firstBreak: {
        sequence: anchor.sequence,
        eventId: '',
        problem: 'the anchor was not signed with this Haven’s key (it was edited or comes from elsewhere)',
      },
    };
  }
  let anchorSeen = false;
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
      if (anchor && row.sequence === anchor.sequence) {
        anchorSeen = true;
        if (row.hash !== anchor.hash)
          return { events, firstBreak: { sequence: row.sequence, eventId: row.id, problem: 'differs from the anchor: the trail up to here was rewritten' } };
      }
    }
    const last = page.at(-1);
    if (!last || page.length < 5000) {
      if (anchor && !anchorSeen)
        return { events, firstBreak: { sequence: anchor.sequence, eventId: '', problem: 'the anchored event is missing: the trail was cut short' } };
      return { events, firstBreak: null };
    }
    after = last.sequence;
  }
}

/** The signed head of a district's chain now, for keeping outside the database (null: no events yet). */
export async function anchorDistrictChain(systemDb: Database, districtId: string, key: Buffer): Promise<Anchor | null> {
  const [head] = await systemDb
    .select({ sequence: auditEvents.sequence, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.districtId, districtId))
    .orderBy(desc(auditEvents.sequence))
    .limit(1);
  return head ? signAnchor(key, { districtId, sequence: head.sequence, hash: head.hash }) : null;
}

import { and, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { roleGrants, users } from '../../data/accounts.ts';
import { policies, policyAcknowledgements, policyVersions } from '../../data/leadership.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { addDays } from '../../platform/durations.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import type { policyInput, versionInput } from './leadership.schema.ts';
import { policyDocument } from './policy-document.rules.ts';

export async function addPolicy(deps: Deps, actor: Actor, input: z.infer<typeof policyInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Policies');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [owner] = await tx
      .select({ id: roleGrants.userId })
      .from(roleGrants)
      .where(and(eq(roleGrants.userId, input.ownerUserId), eq(roleGrants.districtId, actor.districtId)));
    if (!owner)
      throw badRequest('The owner must be someone with a role in this district.', {
        code: 'owner_without_role',
        es: 'La persona responsable debe tener un rol en este distrito.',
      });
    const id = deps.ids.uuid();
    const now = deps.clock.now();
    await tx.insert(policies).values({
      id,
      districtId: actor.districtId,
      kind: input.kind,
      title: input.title,
      ownerUserId: input.ownerUserId,
      reviewBy: input.reviewBy,
      createdAt: now,
    });
    await tx.insert(policyVersions).values({
      id: deps.ids.uuid(),
      districtId: actor.districtId,
      policyId: id,
      version: input.version,
      summary: input.summary.trim(),
      documentUrl: input.documentUrl ?? null,
      publishedAt: now,
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'policy.added',
      subjectType: 'policy',
      subjectId: id,
      detail: { kind: input.kind, version: input.version },
    });
    return { id };
  });
}

/** A new version: staff acknowledge it afresh; the review date moves on. */
export async function addVersion(deps: Deps, actor: Actor, policyId: string, input: z.infer<typeof versionInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Policies');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [policy] = isUuid(policyId) ? await tx.select().from(policies).where(eq(policies.id, policyId)) : [];
    if (!policy) throw notFound('That policy');
    const [same] = await tx
      .select()
      .from(policyVersions)
      .where(and(eq(policyVersions.policyId, policy.id), eq(policyVersions.version, input.version)));
    if (same)
      throw conflict(`Version ${input.version} already exists; give the new version another number.`, {
        code: 'policy_version_taken',
        es: `La versión ${input.version} ya existe; dé otro número a la nueva versión.`,
      });
    await tx.insert(policyVersions).values({
      id: deps.ids.uuid(),
      districtId: actor.districtId,
      policyId: policy.id,
      version: input.version,
      summary: input.summary.trim(),
      documentUrl: input.documentUrl ?? null,
      publishedAt: deps.clock.now(),
    });
    await tx.update(policies).set({ reviewBy: input.reviewBy, reviewRemindedAt: null }).where(eq(policies.id, policy.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'policy.versioned',
      subjectType: 'policy',
      subjectId: policy.id,
      detail: { version: input.version },
    });
    return { version: input.version };
  });
}

export async function acknowledge(deps: Deps, actor: Actor, policyId: string) {
  if (!can(actor, 'policy.acknowledge', null)) throw notFound('That policy');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [latest] = isUuid(policyId)
      ? await tx.select().from(policyVersions).where(eq(policyVersions.policyId, policyId)).orderBy(desc(policyVersions.publishedAt)).limit(1)
      : [];
    if (!latest) throw notFound('That policy');
    await tx
      .insert(policyAcknowledgements)
      .values({ id: deps.ids.uuid(), districtId: actor.districtId, versionId: latest.id, userId: actor.userId, at: deps.clock.now() })
      .onConflictDoNothing();
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'policy.acknowledged',
      subjectType: 'policy',
      subjectId: policyId,
      detail: { version: latest.version },
    });
    return { acknowledged: latest.version };
  });
}

/**
 * The policy library: each policy's current version with its text and the link to its document
 * (policy-document.rules.ts), owner, review date (overdue flagged), and how many staff
 * acknowledged the current version; for the signed-in person, whether they have.
 */
export async function listPolicies(deps: Deps, actor: Actor) {
  if (!can(actor, 'leadership.view', null) && !can(actor, 'policy.acknowledge', null)) throw notFound('Policies');
  return withTenant(deps.db.app, actor, async (tx) => {
    const today = deps.clock.now().toISOString().slice(0, 10);
    const rows = await tx
      .select({ policy: policies, owner: users.displayName })
      .from(policies)
      .leftJoin(users, eq(users.id, policies.ownerUserId))
      .orderBy(policies.title);
    const versions = rows.length
      ? await tx
          .select()
          .from(policyVersions)
          .where(
            inArray(
              policyVersions.policyId,
              rows.map((r) => r.policy.id),
            ),
          )
          .orderBy(desc(policyVersions.publishedAt))
      : [];
    const current = new Map<string, typeof policyVersions.$inferSelect>();
    for (const v of versions) if (!current.has(v.policyId)) current.set(v.policyId, v);
    const currentIds = [...current.values()].map((v) => v.id);
    const acks = currentIds.length
      ? await tx
          .select({
            versionId: policyAcknowledgements.versionId,
            n: sql<number>`count(*)::int`,
            mine: sql<boolean>`bool_or(${policyAcknowledgements.userId} = ${actor.userId})`,
          })
          .from(policyAcknowledgements)
          .where(inArray(policyAcknowledgements.versionId, currentIds))
          .groupBy(policyAcknowledgements.versionId)
      : [];
    const [staff] = await tx
      .execute(
        sql`select count(distinct user_id)::int as n from role_grants where role in ('district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff')`,
      )
      .then((r) => r.rows as { n: number }[]);
    return rows.map(({ policy, owner }) => {
      const v = current.get(policy.id);
      const a = acks.find((x) => x.versionId === v?.id);
      // Versions saved before the column kept their link in the text; policyDocument reads it there.
      const document = v?.documentUrl ? { url: v.documentUrl, text: v.summary } : policyDocument(v?.summary ?? '');
      return {
        id: policy.id,
        kind: policy.kind,
        title: policy.title,
        owner: owner ?? '',
        reviewBy: policy.reviewBy,
        reviewOverdue: policy.reviewBy < today,
        version: v?.version ?? '',
        summary: document.text,
        documentUrl: document.url,
        publishedAt: v?.publishedAt.toISOString() ?? null,
        acknowledged: a?.n ?? 0,
        staff: staff?.n ?? 0,
        acknowledgedByMe: a?.mine ?? false,
      };
    });
  });
}

/** Worker: the owner hears once when a policy's review date is within 30 days. */
export async function remindPolicyReviews(deps: Deps): Promise<number> {
  const soon = addDays(deps.clock.now().toISOString().slice(0, 10), 30);
  const due = await deps.db.system
    .select({ policy: policies, email: users.email })
    .from(policies)
    .innerJoin(users, eq(users.id, policies.ownerUserId))
    .where(and(isNull(policies.reviewRemindedAt), lte(policies.reviewBy, soon)));
  for (const { policy, email } of due) {
    // Marked and queued together: the reminder is sent (or listed for the administrators as failed), never dropped.
    await deps.db.system.transaction(async (tx) => {
      await tx.update(policies).set({ reviewRemindedAt: deps.clock.now() }).where(eq(policies.id, policy.id));
      await enqueueMessage(deps, tx, {
        districtId: policy.districtId,
        purpose: 'policy.review_due',
        message: {
          kind: 'email',
          to: email,
          subject: `Haven: "${policy.title}" is due for review by ${policy.reviewBy}`,
          text: `You own "${policy.title}". Review it and publish a new version by ${policy.reviewBy}:\n${deps.settings.publicUrl}/leadership`,
        },
      });
    });
  }
  return due.length;
}

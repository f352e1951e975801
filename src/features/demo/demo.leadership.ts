import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { staffPositions } from '../leadership/leadership.tables.ts';
import type { seededRandom } from './demo.seed.ts';

/** Each demo school's mental-health staff: Aspen is short of counselors, Lincoln close, Sierra Vista near the ratio. */
const staffing: Record<string, { role: (typeof staffPositions.$inferInsert)['role']; fte: number; caseloadPerFte: number; title: string }[]> = {
  'aspen-es': [
    { role: 'counselor', fte: 1, caseloadPerFte: 50, title: 'School counselor' },
    { role: 'psychologist', fte: 0.4, caseloadPerFte: 40, title: 'School psychologist (shared)' },
    { role: 'nurse', fte: 0.5, caseloadPerFte: 30, title: 'School nurse' },
  ],
  'lincoln-ms': [
    { role: 'counselor', fte: 1, caseloadPerFte: 50, title: 'Counselor, grades 6–7' },
    { role: 'counselor', fte: 0.5, caseloadPerFte: 50, title: 'Counselor, grade 8' },
    { role: 'social_worker', fte: 0.5, caseloadPerFte: 30, title: 'School social worker' },
  ],
  'sierra-vista-hs': [
    { role: 'counselor', fte: 2, caseloadPerFte: 50, title: 'Counselors' },
    { role: 'psychologist', fte: 0.6, caseloadPerFte: 40, title: 'School psychologist' },
    { role: 'social_worker', fte: 1, caseloadPerFte: 30, title: 'School social worker' },
  ],
};

export async function seedDemoStaffing(
  deps: Deps,
  tx: Transaction,
  districtId: string,
  schoolIds: Map<string, string>,
  random: ReturnType<typeof seededRandom>,
) {
  for (const [code, positions] of Object.entries(staffing))
    for (const p of positions)
      await tx.insert(staffPositions).values({ id: random.uuid(), districtId, schoolId: schoolIds.get(code) as string, ...p, createdAt: deps.clock.now() });
}

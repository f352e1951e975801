import type { Actor, Grant } from '../../access/actor.ts';
import { auditActor } from '../../access/actor.ts';
import { allowingGrant, can, studentAbilities } from '../../access/policy.ts';
import { reasonOf, recordStudentsShown } from '../../platform/audit/students-shown.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { findStudent, guardiansOf, isStudentVisibleTo, type StudentSearch, searchStudents } from './students.repository.ts';

/** The legitimate interest recorded with a read: the role and where it applies. */
function interest(grant: Grant, schoolName: string): string {
  return reasonOf({ grant, school: schoolName });
}

/**
 * Student search for roles that work with students; others get 404 like any record they cannot
 * see. Each student on the page is a name seen, so each gets a row in their access log (with the
 * grant that let the searcher see them), besides the search's own event.
 */
export async function findStudents(deps: Deps, actor: Actor, search: StudentSearch) {
  if (!can(actor, 'student.search', null)) throw notFound('The student list');
  return withTenant(deps.db.app, actor, async (tx) => {
    const result = await searchStudents(tx, actor, search);
    const shown = result.items.flatMap((s) => {
      const grant = allowingGrant(actor, 'student.read', { schoolId: s.schoolId });
      return grant ? [{ studentId: s.id, basis: { grant, school: s.schoolName } }] : [];
    });
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), 'student_search', shown, {
      action: 'student.searched',
      subjectType: 'student_list',
      detail: { results: result.total, school: search.school ?? null, page: search.page },
    });
    return { ...result, page: search.page, pageSize: search.pageSize };
  });
}

/**
 * Opens a student's record. Every look is audited with the reason access was allowed; a refused
 * or unknown id is audited too and answers 404, so a probe learns nothing and leaves a trace.
 */
export async function openStudent(deps: Deps, actor: Actor, studentId: string) {
  const outcome = await withTenant(deps.db.app, actor, async (tx) => {
    const row = isUuid(studentId) ? await findStudent(tx, studentId) : undefined;
    const allowed = row ? allowingGrant(actor, 'student.read', { schoolId: row.student.schoolId }) : undefined;
    // A grant at the school is not enough for a teacher: the student must be theirs to see (scope.ts).
    const grant = allowed && (await isStudentVisibleTo(tx, actor, studentId)) ? allowed : undefined;
    if (!row || !grant) {
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'student.read.denied',
        subjectType: 'student',
        subjectId: studentId.slice(0, 64),
        detail: { reason: row ? 'not_permitted' : 'not_found_in_district' },
      });
      return null;
    }
    const { student, school } = row;
    const abilities = studentAbilities(actor, { schoolId: student.schoolId });
    const guardians = abilities.readProtected ? await guardiansOf(tx, student.id) : [];
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'student.read',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      reason: interest(grant, school.name),
      detail: { protectedFields: abilities.readProtected },
    });
    return {
      id: student.id,
      localId: student.localId,
      firstName: student.firstName,
      lastName: student.lastName,
      preferredName: student.preferredName,
      grade: student.grade,
      active: student.active,
      school,
      homeLanguage: student.homeLanguage,
      interpreterNeeded: student.interpreterNeeded,
      protected: abilities.readProtected
        ? {
            dateOfBirth: student.dateOfBirth,
            englishLearner: student.englishLearner,
            iep: student.iep,
            section504: student.section504,
            freeReducedLunch: student.freeReducedLunch,
            homeless: student.homeless,
            fosterCare: student.fosterCare,
            raceEthnicity: student.raceEthnicity,
            gender: student.gender,
            guardians,
          }
        : null,
      abilities,
    };
  });
  if (!outcome) throw notFound('That student');
  return outcome;
}

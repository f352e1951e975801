import { describe, expect, it } from 'vitest';
import { guessMapping, mapStudents } from './csv-students.rules.ts';

const header = ['Student Number', 'First', 'Last', 'Grade', 'School', 'DOB', 'ELL', 'Home Language'];
const schools = [{ id: 's1', code: 'lincoln-ms', name: 'Lincoln Middle School' }];

describe('a plain student CSV through a column mapping', () => {
  it('guesses the mapping from common header names', () => {
    expect(guessMapping(header)).toMatchObject({
      localId: 'Student Number',
      firstName: 'First',
      lastName: 'Last',
      grade: 'Grade',
      school: 'School',
      dateOfBirth: 'DOB',
      englishLearner: 'ELL',
      homeLanguage: 'Home Language',
      iep: null,
    });
  });

  it('maps good rows and rejects bad ones with their line and every reason', () => {
    const rows = [
      { line: 2, cells: ['1001', 'Maya', 'Torres', '07', 'lincoln-ms', '4/2/2013', 'Y', 'ES'] },
      { line: 3, cells: ['1002', 'Leo', 'Park', 'KG', 'Lincoln Middle School', '2019-09-01', 'n', 'en'] },
      { line: 4, cells: ['', 'X', 'Y', '13', 'Nowhere', 'yesterday', 'maybe', ''] },
      { line: 5, cells: ['1001', 'Maya', 'Torres', '7', 'lincoln-ms', '', '', ''] },
    ];
    const result = mapStudents(header, rows, guessMapping(header), schools);
    expect(result.students).toEqual([
      {
        localId: '1001',
        firstName: 'Maya',
        lastName: 'Torres',
        grade: '7',
        schoolId: 's1',
        dateOfBirth: '2013-04-02',
        homeLanguage: 'es',
        englishLearner: true,
      },
      { localId: '1002', firstName: 'Leo', lastName: 'Park', grade: 'K', schoolId: 's1', dateOfBirth: '2019-09-01', homeLanguage: 'en', englishLearner: false },
    ]);
    expect(result.rejected).toEqual([
      {
        line: 4,
        reason:
          'the student number is empty; grade "13" is not PK, K or 1–12; school "Nowhere" is not one of this district\'s schools; date of birth "yesterday" is not a date (2013-05-20 or 5/20/2013); englishLearner "maybe" is not yes or no',
      },
      { line: 5, reason: 'student number 1001 appears twice' },
    ]);
  });

  it('says which required fields are not mapped', () => {
    expect(mapStudents(header, [], { localId: 'Student Number' }, schools).missing).toEqual(['firstName', 'lastName', 'grade', 'school']);
  });
});

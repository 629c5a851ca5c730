import { describe, expect, it } from 'vitest';
import { AUDIT_READ, grants, SCREEN, scopesOfClaims, STUDY_READ, WORKLIST_READ } from '../../src/auth/scopes.js';

describe('SMART system scopes', () => {
  const cases: [string[], typeof WORKLIST_READ, boolean][] = [
    [['system/ResearchSubject.read'], WORKLIST_READ, true],
    [['system/ResearchSubject.rs'], WORKLIST_READ, true],
    [['system/ResearchSubject.r'], WORKLIST_READ, false],
    [['system/ResearchSubject.cruds'], WORKLIST_READ, true],
    [['system/*.read'], WORKLIST_READ, true],
    [['system/ResearchSubject.*'], SCREEN, true],
    [['system/ResearchSubject.write'], SCREEN, true],
    [['system/ResearchSubject.cu'], SCREEN, true],
    [['system/ResearchSubject.c'], SCREEN, false],
    [['system/ResearchSubject.read'], SCREEN, false],
    [['system/ResearchStudy.read'], STUDY_READ, true],
    [['system/ResearchStudy.read'], WORKLIST_READ, false],
    [['user/ResearchSubject.read'], WORKLIST_READ, false],
    [['patient/*.read'], WORKLIST_READ, false],
    [['system/ResearchSubject.read'], AUDIT_READ, false],
    [['system/AuditEvent.read'], AUDIT_READ, true],
    [['system/ResearchSubject.readx'], WORKLIST_READ, false],
    [[], WORKLIST_READ, false],
  ];
  it.each(cases)('%j grants %j: %s', (granted, required, expected) => {
    expect(grants(granted, required)).toBe(expected);
  });

  it('reads scope (space-separated) and scp (array) claims', () => {
    expect(scopesOfClaims({ scope: 'a  b' })).toEqual(['a', 'b']);
    expect(scopesOfClaims({ scp: ['a', 3, 'b'] })).toEqual(['a', 'b']);
    expect(scopesOfClaims({ scope: 7 })).toEqual([]);
  });
});

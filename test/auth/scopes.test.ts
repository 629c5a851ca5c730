import { describe, expect, it } from 'vitest';
import { ANONYMOUS, UNAUTHENTICATED, type Principal } from '../../src/auth/principal.js';
import { ADMIN, AUDIT_READ, grants, parseScope, SCREEN, scopesOfClaims, STUDY_READ, WORKLIST_READ } from '../../src/auth/scopes.js';
import { allowedStudies, mayUse, studyAccess, type StudyAccess } from '../../src/auth/study-access.js';

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

describe('SMART v2 granular scopes: ?study=', () => {
  const principal = (...scopes: string[]): Principal => ({ kind: 'api-key', id: 'k', scopes });
  const set = (access: StudyAccess) => (access === 'all' ? 'all' : [...access].sort());

  it('reads a study limit: one id, a comma-separated OR, `ResearchStudy/<id>`, an AND of repeats', () => {
    expect(parseScope('system/ResearchSubject.rs')).toEqual({ resourceType: 'ResearchSubject', permissions: 'rs', studies: 'all' });
    expect(set(parseScope('system/ResearchSubject.rs?study=glp1-ckd')!.studies)).toEqual(['glp1-ckd']);
    expect(set(parseScope('system/ResearchSubject.rs?study=glp1-ckd,belimumab-iim')!.studies)).toEqual(['belimumab-iim', 'glp1-ckd']);
    expect(set(parseScope('system/ResearchSubject.read?study=ResearchStudy/glp1-ckd')!.studies)).toEqual(['glp1-ckd']);
    expect(set(parseScope('system/*.cruds?study=a,b&study=b,c')!.studies)).toEqual(['b']);
    expect(set(parseScope('system/ResearchSubject.rs?study=a&study=b')!.studies)).toEqual([]);
  });

  const malformed = [
    'system/ResearchSubject.rs?',
    'system/ResearchSubject.rs?study',
    'system/ResearchSubject.rs?study=',
    'system/ResearchSubject.rs?study=a,',
    'system/ResearchSubject.rs?study=,a',
    'system/ResearchSubject.rs?study=GLP1-CKD',
    'system/ResearchSubject.rs?study=glp1%2Dckd',
    'system/ResearchSubject.rs?study=-a',
    'system/ResearchSubject.rs?study=ResearchStudy/',
    'system/ResearchSubject.rs?study=Group/a',
    'system/ResearchSubject.rs?study:not=a',
    'system/ResearchSubject.rs?study=a&',
    'system/ResearchSubject.rs?study=a&site=b',
    'system/ResearchSubject.rs?patient=Patient/1',
    'system/ResearchSubject.rs?STUDY=a',
    'system/ResearchSubject.rs?study=__proto__',
    'system/ResearchSubject.rs?study=constructor,__proto__',
    'system/ResearchSubject.rs?__proto__=a',
    'system/ResearchSubject.rs?constructor=x',
    'system/ResearchSubject.rs?toString=x',
    'system/ResearchSubject.rs?study=a\nb',
    'system/ResearchSubject.rs?study=a b',
    `system/ResearchSubject.rs?study=${'a'.repeat(129)}`,
  ];
  it.each(malformed)('fails closed on %j: the scope grants nothing', (scope) => {
    expect(parseScope(scope)).toBeUndefined();
    expect(grants([scope], WORKLIST_READ)).toBe(false);
    expect(studyAccess(principal(scope), 'read')).toEqual(new Set());
  });

  it('lets a limited scope reach its route, but never the admin fallback', () => {
    expect(grants(['system/ResearchSubject.rs?study=glp1-ckd'], WORKLIST_READ)).toBe(true);
    expect(grants(['system/ResearchSubject.cud?study=glp1-ckd'], SCREEN)).toBe(true);
    expect(grants(['system/ResearchSubject.rs?study=glp1-ckd'], SCREEN)).toBe(false);
    expect(grants(['system/ResearchSubject.rs?study=no-such-study'], WORKLIST_READ)).toBe(true);
    expect(grants(['system/AuditEvent.rs?study=glp1-ckd'], AUDIT_READ)).toBe(true);
    expect(grants(['system/AuditEvent.rs?study=glp1-ckd'], ADMIN)).toBe(false);
    expect(grants(['system/*.read?study=glp1-ckd'], ADMIN)).toBe(false);
    expect(grants(['system/AuditEvent.read'], ADMIN)).toBe(true);
    expect(grants(['system/AuditEvent.rs?study=glp1-ckd', 'system/AuditEvent.rs'], ADMIN)).toBe(true);
  });

  it('decides a principal\'s studies: unlimited wins, limits add up, each resource type and access on its own', () => {
    expect(studyAccess(principal('system/ResearchSubject.read'), 'read')).toBe('all');
    expect(studyAccess(principal('system/ResearchSubject.rs?study=a', 'system/ResearchSubject.rs'), 'read')).toBe('all');
    expect(set(studyAccess(principal('system/ResearchSubject.rs?study=a', 'system/ResearchSubject.rs?study=b,c'), 'read'))).toEqual(['a', 'b', 'c']);
    expect(set(studyAccess(principal('system/ResearchSubject.rs?study=a', 'system/ResearchSubject.cu?study=b'), 'write'))).toEqual(['b']);
    expect(set(studyAccess(principal('system/ResearchSubject.cruds?study=a'), 'write'))).toEqual(['a']);
    expect(set(studyAccess(principal('system/*.rs?study=a'), 'read', 'AuditEvent'))).toEqual(['a']);
    expect(set(studyAccess(principal('system/ResearchSubject.rs'), 'read', 'AuditEvent'))).toEqual([]);
    expect(set(studyAccess(principal('user/ResearchSubject.rs'), 'read'))).toEqual([]);
    expect(set(studyAccess(principal(), 'read'))).toEqual([]);
    // Study ids are data: they live in a Set, never as keys of a plain object.
    const odd = studyAccess(principal('system/ResearchSubject.rs?study=constructor,to-string'), 'read');
    expect(mayUse(odd, 'constructor')).toBe(true);
    expect(mayUse(odd, '__proto__')).toBe(false);
    expect(mayUse(odd, 'toString')).toBe(false);
  });

  it('gives every study when authentication is off or to a CDS_CLIENTS client, none to an unverified caller', () => {
    expect(studyAccess(ANONYMOUS, 'write')).toBe('all');
    expect(studyAccess({ kind: 'cds', id: 'https://ehr.example.org', scopes: [] }, 'read')).toBe('all');
    expect(set(studyAccess(UNAUTHENTICATED, 'read'))).toEqual([]);
    // The flag, not the kind, is what opens everything.
    expect(set(studyAccess({ kind: 'anonymous', id: 'anonymous', scopes: [] }, 'read'))).toEqual([]);
  });

  it('names the studies of a caller in the order the service lists them', () => {
    expect(allowedStudies(new Set(['glp1-ckd', 'gone']), ['belimumab-iim', 'glp1-ckd'])).toEqual(['glp1-ckd']);
    expect(allowedStudies('all', ['belimumab-iim', 'glp1-ckd'])).toEqual(['belimumab-iim', 'glp1-ckd']);
  });
});

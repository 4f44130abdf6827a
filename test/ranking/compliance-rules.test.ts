import { compileConfig } from '../../src/config';
import { evaluateCompliance, type ComplianceFacts } from '../../src/ranking/compliance-rules';

const compliance = compileConfig({}).ranking.compliance;
const TUESDAY = '2026-11-24';

const base: ComplianceFacts = {
  country: 'FR',
  timeZone: 'Europe/Paris',
  postalCode: '75011',
  doNotCall: false,
  ceaseCommunication: false,
  openStages: ['amicable'],
  disputedOpenCases: 0,
  phoneE164: '+33612345678',
  attemptDates: [],
  lastConversationOn: null,
};
const rules = (facts: Partial<ComplianceFacts>, date = TUESDAY): string[] => evaluateCompliance({ ...base, ...facts }, date, compliance).exclusions.map((e) => e.rule);

describe('compliance rules', () => {
  it('lets a clean debtor through with the allowed interval of the day', () => {
    const v = evaluateCompliance(base, TUESDAY, compliance);
    expect(v.exclusions).toEqual([]);
    expect(v.allowed?.start.toISOString()).toBe('2026-11-24T07:00:00.000Z');
    expect(v.allowed?.end.toISOString()).toBe('2026-11-24T19:00:00.000Z');
  });

  it('excludes do-not-call and cease-communication requests', () => {
    expect(rules({ doNotCall: true })).toEqual(['do_not_call']);
    expect(rules({ ceaseCommunication: true })).toEqual(['cease_communication']);
  });

  it('stops calls in over-indebtedness and closed stages, and without an open case', () => {
    expect(rules({ openStages: ['amicable', 'over_indebtedness'] })).toEqual(['legal_stage']);
    expect(rules({ openStages: ['closed'] })).toEqual(['legal_stage']);
    expect(rules({ openStages: [] })).toEqual(['no_open_case']);
    expect(rules({ openStages: ['seizure'] })).toEqual([]);
  });

  it('excludes disputed debts and debtors without a valid phone', () => {
    expect(rules({ disputedOpenCases: 1 })).toEqual(['disputed']);
    expect(rules({ phoneE164: null })).toEqual(['no_valid_phone']);
  });

  it('caps attempts at 7 in any 7 consecutive days (Regulation F)', () => {
    const six = ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'];
    expect(rules({ attemptDates: six })).toEqual([]); // today's call is the 7th
    expect(rules({ attemptDates: [...six, '2026-11-23'] })).toEqual(['frequency_cap']);
    // The 17th is outside the period [18th, 24th].
    expect(rules({ attemptDates: ['2026-11-17', ...six] })).toEqual([]);
    // An attempt earlier on the list date counts.
    expect(rules({ attemptDates: [...six, '2026-11-24'] })).toEqual(['frequency_cap']);
  });

  it('makes no call in the 7 days that start on the day of a conversation', () => {
    expect(rules({ lastConversationOn: '2026-11-18' })).toEqual(['after_conversation']);
    expect(rules({ lastConversationOn: '2026-11-24' })).toEqual(['after_conversation']);
    expect(rules({ lastConversationOn: '2026-11-17' })).toEqual([]);
  });

  it('applies the weekday and holiday rules of the debtor country, in its time zone', () => {
    expect(rules({}, '2026-11-28')).toEqual(['calling_day']);
    expect(rules({}, '2026-12-25')).toEqual(['calling_day']);
    expect(rules({ country: 'US', timeZone: 'America/New_York' }, '2026-11-28')).toEqual([]);
    // 11 November is no holiday in the US regime.
    expect(rules({ country: 'US', timeZone: 'America/New_York' }, '2026-11-11')).toEqual([]);
    // An unknown country falls back to the default regime (FR).
    expect(rules({ country: 'BE' }, '2026-11-28')).toEqual(['calling_day']);
  });

  it('records every rule that applies, not only the first', () => {
    expect(rules({ doNotCall: true, disputedOpenCases: 2, phoneE164: null }, '2026-11-28')).toEqual(['do_not_call', 'disputed', 'no_valid_phone', 'calling_day']);
  });
});

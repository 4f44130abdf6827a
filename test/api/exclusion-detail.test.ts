/**
 * Exclusion details, recorded by the nightly ranking as English audit sentences, said in French
 * (and English); an unknown sentence stays as recorded, marked English.
 */
import { exclusionDetail } from '../../src/api/exclusion-detail';

describe('exclusion details in the reader language', () => {
  test.each([
    ['do-not-call request', 'demande de ne pas être appelé'],
    ['do-not-call request (relance_call_log)', 'demande de ne pas être appelé (relance_call_log)'],
    ['request to cease communication', "demande d'arrêt de tout contact"],
    ['calls stop in legal stage over_indebtedness', "pas d'appel au stade over_indebtedness"],
    ['no open case', 'aucun dossier ouvert'],
    ['1 disputed open case(s)', '1 dossier ouvert contesté'],
    ['2 disputed open case(s)', '2 dossiers ouverts contestés'],
    ['no valid phone number', 'aucun numéro de téléphone valide'],
    ['no calls on Saturday (allowed: Monday, Tuesday, Wednesday, Thursday, Friday)', "pas d'appel le samedi (jours autorisés : lundi, mardi, mercredi, jeudi, vendredi)"],
    ['public holiday: Armistice 1918', 'jour férié : Armistice 1918'],
    ['7 attempts since 2026-11-17 (at most 7 in 7 days)', '7 tentatives depuis le 17/11/2026 (au plus 7 en 7 jours)'],
    ['conversation on 2026-11-20: no call before 2026-11-27', "échange le 20/11/2026 : pas d'appel avant le 27/11/2026"],
    ['allowed hours 08:00-20:00 do not meet the hours of team equipe-1 (21:00-22:00)', "les heures d'appel autorisées (08:00-20:00) ne recoupent pas celles de l'équipe equipe-1 (21:00-22:00)"],
  ])('%s', (recorded, french) => {
    expect(exclusionDetail(recorded, 'fr')).toEqual({ text: french, lang: 'fr' });
  });

  test('English readers get the English sentence; an unknown sentence is kept, marked English', () => {
    expect(exclusionDetail('7 attempts since 2026-11-17 (at most 7 in 7 days)', 'en')).toEqual({ text: '7 attempts since 17/11/2026 (at most 7 in 7 days)', lang: 'en' });
    expect(exclusionDetail('a rule written tomorrow', 'fr')).toEqual({ text: 'a rule written tomorrow', lang: 'en' });
  });
});

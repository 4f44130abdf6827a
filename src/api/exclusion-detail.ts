/**
 * The detail of an exclusion in the reader's language. The nightly ranking records each
 * exclusion's detail as an English audit sentence (src/ranking/compliance-rules.ts,
 * calling-window.ts, assemble-call-list.ts); this reads the known sentences back into their terms
 * and says them with the `lead:details.*` messages. A sentence it does not know is returned as
 * recorded, marked English.
 */
import { LOCALES, t, type Language } from './i18n';

/** An exclusion detail as shown: its text and the language it is in. */
export interface ShownDetail {
  text: string;
  lang: Language;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Reader = [RegExp, (m: RegExpExecArray, lang: Language) => string];

function day(iso: string, lang: Language): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Intl.DateTimeFormat(LOCALES[lang], { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`)) : iso;
}

function weekday(name: string, lang: Language): string {
  const i = WEEKDAYS.indexOf(name.trim());
  return i < 0 ? name : t(lang, `lead:details.weekdays.${i}`);
}

const READERS: readonly Reader[] = [
  [/^do-not-call request \((.+)\)$/, (m, l) => t(l, 'lead:details.do_not_call_from', { sources: m[1] })],
  [/^do-not-call request$/, (_m, l) => t(l, 'lead:details.do_not_call')],
  [/^request to cease communication$/, (_m, l) => t(l, 'lead:details.cease_communication')],
  [/^calls stop in legal stage (.+)$/, (m, l) => t(l, 'lead:details.legal_stage', { stages: m[1] })],
  [/^no open case$/, (_m, l) => t(l, 'lead:details.no_open_case')],
  [/^(\d+) disputed open case\(s\)$/, (m, l) => t(l, 'lead:details.disputed', { count: Number(m[1]) })],
  [/^no valid phone number$/, (_m, l) => t(l, 'lead:details.no_valid_phone')],
  [/^no calls on (\w+) \(allowed: (.+)\)$/, (m, l) => t(l, 'lead:details.calling_day', { day: weekday(m[1]!, l), days: m[2]!.split(', ').map((d) => weekday(d, l)).join(', ') })],
  [/^public holiday: (.+)$/, (m, l) => t(l, 'lead:details.holiday', { holiday: m[1] })],
  [/^(\d+) attempts since (\S+) \(at most (\d+) in (\d+) days\)$/, (m, l) => t(l, 'lead:details.frequency_cap', { count: Number(m[1]), since: day(m[2]!, l), max: m[3], days: m[4] })],
  [/^conversation on (\S+): no call before (\S+)$/, (m, l) => t(l, 'lead:details.after_conversation', { date: day(m[1]!, l), next: day(m[2]!, l) })],
  [/^allowed hours (.+) do not meet the hours of team (.+)$/, (m, l) => t(l, 'lead:details.calling_hours', { allowed: m[1], teams: m[2] })],
];

/** `detail` as recorded, said in `lang` when the sentence is a known one. */
export function exclusionDetail(detail: string, lang: Language): ShownDetail {
  for (const [pattern, say] of READERS) {
    const m = pattern.exec(detail.trim());
    if (m) return { text: say(m, lang), lang };
  }
  return { text: detail, lang: 'en' };
}

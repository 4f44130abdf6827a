import { FEATURES } from './feature-registry';

const UNITS: Record<string, string> = { euro: 'euros', count: 'count', day: 'days', year: 'years', share: 'share 0–1', ratio: 'ratio', flag: 'true/false', rank: 'rank' };

/**
 * The features table of docs/analysts.md, rendered from the registry (Markdown). The doc holds
 * exactly this text between its `features-table` markers; a test compares them.
 */
export function featureDocTable(): string {
  const rows = FEATURES.map((d) => {
    const where = d.origin === 'snapshot' ? 'column' : 'derived';
    return `| \`${d.name}\` | ${where} | \`${d.sqlType}\`${d.nullable ? '' : ' not null'} | ${UNITS[d.unit] ?? d.unit} | ${d.model ? 'yes' : 'no'} | ${d.label.en} | ${d.label.fr} |`;
  });
  return ['| feature | where | type | unit | models | meaning | en français |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

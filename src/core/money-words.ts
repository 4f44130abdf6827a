/** Amounts and counts in words for the call team, in French and English. */

/** Euros in French: `1 200 €`. */
export const eurFr = (x: number): string => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(x).replace(/\u202f/g, ' ')} €`;
/** Euros in English: `€1,200`. */
export const eurEn = (x: number): string => `€${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(x)}`;
/** Singular or plural by count. */
export const plural = (n: number, one: string, many: string): string => (Math.abs(n) === 1 ? one : many);

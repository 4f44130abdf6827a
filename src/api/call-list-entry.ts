/** One row of a published call list as the API, the pages and the CSV export show it. */
export interface CallListEntry {
  listDate: string;
  teamId: string;
  rank: number;
  debtorId: string;
  name: string;
  officeCode: string | null;
  pPay: number;
  expectedRecovery: number;
  /** Amount expected if the debtor pays. */
  expectedAmount: number | null;
  /** P(right-party contact) in the window. */
  pContact: number | null;
  /** Expected recovery per agent minute: the ranking key. */
  priority: number | null;
  balance: number | null;
  window: { start: string | null; end: string | null; timeZone: string | null };
  reasons: unknown;
  /** What the call adds: (P(pay if called) − P(pay if not)) × expected amount × P(contact) (EUR); null without an uplift model. */
  incrementalRecovery: number | null;
  /** P(pay) if called and if not called, from the uplift model; null without one. */
  pPayCalled: number | null;
  pPayNotCalled: number | null;
  /** Why the call matters for this debtor: [{feature, fr, en, text}]. */
  callReasons: unknown;
  phone: string | null;
  modelVersionId: string | null;
  /** The business-cost threshold of the model that scored the row. */
  threshold: number | null;
}
